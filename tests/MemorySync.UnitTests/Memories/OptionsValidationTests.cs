using MemorySync.Configuration;
using Microsoft.Extensions.Options;

namespace MemorySync.UnitTests.Memories;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new OutboxOptionsValidator().Validate(null, new OutboxOptions()).Succeeded);
        Assert.True(new ConflictOptionsValidator().Validate(null, new ConflictOptions()).Succeeded);
        Assert.True(new MemoryOptionsValidator().Validate(null, new MemoryOptions()).Succeeded);
        Assert.True(new FaissOptionsValidator().Validate(null, new FaissOptions()).Succeeded);
    }

    [Fact]
    public void Postgres_AGroupCommitQueueSmallerThanOneGroup_NamesTheSettings()
    {
        var result = new PostgresOptionsValidator().Validate(null, new PostgresOptions { ConnectionString = "Host=127.0.0.1", GroupCommitMaxStatements = 128, GroupCommitMaxQueued = 100 });

        Assert.Contains("Postgres:GroupCommitMaxQueued", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Postgres:GroupCommitMaxStatements", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new PostgresOptionsValidator().Validate(null, new PostgresOptions { ConnectionString = "Host=127.0.0.1" }).Succeeded);
    }

    [Fact]
    public void Outbox_WithAMaxDelayBelowTheBase_NamesTheSettings()
    {
        var result = new OutboxOptionsValidator().Validate(null, new OutboxOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) });

        Assert.Contains("Outbox:MaxDelay", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflicts_VersionVectorAsItsOwnFallback_IsRefused()
    {
        var result = new ConflictOptionsValidator().Validate(null, new ConflictOptions { ConcurrentFallback = ConflictStrategy.VersionVector });

        Assert.Contains("Conflicts:ConcurrentFallback", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Faiss_SnapshotIntervalAboveHalfTheOutboxRetention_NamesBothSettings()
    {
        var outbox = Options.Create(new OutboxOptions { RetainCompleted = TimeSpan.FromMinutes(30) });
        var validator = new SnapshotRetentionValidator(outbox);

        var result = validator.Validate(null, new FaissOptions { SnapshotInterval = TimeSpan.FromMinutes(20) });

        Assert.Contains("Faiss:SnapshotInterval", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Outbox:RetainCompleted", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new FaissOptions { SnapshotInterval = TimeSpan.FromMinutes(15) }).Succeeded);
        Assert.True(new SnapshotRetentionValidator(Options.Create(new OutboxOptions())).Validate(null, new FaissOptions()).Succeeded);
        // Completed rows kept forever: any snapshot can be replayed.
        var keepAll = new SnapshotRetentionValidator(Options.Create(new OutboxOptions { RetainCompleted = TimeSpan.Zero }));
        Assert.True(keepAll.Validate(null, new FaissOptions { SnapshotInterval = TimeSpan.FromDays(2) }).Succeeded);
    }

    [Fact]
    public void Faiss_HnswIsRefused_BecauseItCannotRemoveIds()
    {
        var result = new FaissOptionsValidator().Validate(null, new FaissOptions { Factory = "HNSW32" });

        Assert.Contains("Faiss:Factory", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Faiss_AFactoryFaissCannotBuild_NamesTheSettingAndFaissReason()
    {
        var result = new FaissOptionsValidator().Validate(null, new FaissOptions { Factory = "IVFx,Flat" });

        Assert.Contains("Faiss:Factory 'IVFx,Flat'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("FAISS FaissError:", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Flat", "nprobe=16", "could not set parameter nprobe")]
    [InlineData("IVF64,Flat", "nprobe", "is not name=number")]
    public void Faiss_SearchParametersThatDoNotApply_NameTheSetting(string factory, string parameters, string reason)
    {
        var result = new FaissOptionsValidator().Validate(null, new FaissOptions { Factory = factory, SearchParameters = parameters });

        Assert.Contains("Faiss:SearchParameters", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(reason, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Faiss_IvfWithNprobe_IsAccepted()
    {
        Assert.True(new FaissOptionsValidator().Validate(null, new FaissOptions { Factory = "IVF1024,Flat", SearchParameters = "nprobe=32" }).Succeeded);
    }

    [Fact]
    public void Faiss_Defaults_AreAnIvfIndexProbing32Lists_AndValid()
    {
        var defaults = new FaissOptions();

        Assert.Equal("IVF1024,Flat", defaults.Factory);
        Assert.Equal("nprobe=32", defaults.EffectiveSearchParameters);
        Assert.True(new FaissOptionsValidator().Validate(null, defaults).Succeeded);
    }

    [Theory]
    [InlineData("Flat")]
    [InlineData("SQ8")]
    public void Faiss_ANonIvfFactoryAlone_TakesNoSearchParameters_AndIsValid(string factory)
    {
        var options = new FaissOptions { Factory = factory };

        Assert.Equal("", options.EffectiveSearchParameters);
        Assert.True(new FaissOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Failpoints_UnsetByDefault_AndAMisspeltPointIsRefusedByName()
    {
        Assert.True(new FailpointOptionsValidator().Validate(null, new FailpointOptions()).Succeeded);
        Assert.True(new FailpointOptionsValidator().Validate(null, new FailpointOptions { Point = "after-commit", AtHit = 3 }).Succeeded);

        var misspelt = new FailpointOptionsValidator().Validate(null, new FailpointOptions { Point = "after-comit" });
        var never = new FailpointOptionsValidator().Validate(null, new FailpointOptions { Point = "after-commit", AtHit = 0 });

        Assert.Contains("Failpoints:Point 'after-comit' is not one of after-commit, after-redis", misspelt.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Failpoints:AtHit", never.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthSettings_ThatCannotJudgeAStore_FailStartUp_NamingTheSetting()
    {
        Assert.True(new HealthOptionsValidator().Validate(null, new HealthOptions()).Succeeded);

        var result = new HealthOptionsValidator().Validate(null, new HealthOptions { DegradedAfterFailures = 3, UnhealthyAfterFailures = 2, Window = 0 });

        Assert.True(result.Failed);
        Assert.Contains("Health:UnhealthyAfterFailures", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Health:Window", result.FailureMessage, StringComparison.Ordinal);
    }
}
