using MemorySync.Silo;
using MemorySync.Testing;
using Npgsql;

namespace MemorySync.IntegrationTests.Silo;

public sealed class SiloStartupTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string Password = "not-the-real-secret-7731";

    [Fact]
    public async Task Start_WhenPostgresIsUnreachable_ExitsNonZeroSayingWhereItLooked()
    {
        var closedPort = FreePort.Next();
        var connectionString = $"Host=127.0.0.1;Port={closedPort};Database=memsync;Username=memsync;Password={Password}";

        await using var silo = StartSilo(connectionString, TestStack.RedisConnectionString);
        var exitCode = await silo.WaitForExitAsync(Deadline);

        Assert.Equal(SiloStartup.ExitCodeStoreUnreachable, exitCode);
        Assert.Contains($"PostgreSQL is not reachable at 127.0.0.1:{closedPort}", silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Redis is not reachable", silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, silo.Error + silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WhenRedisIsUnreachable_ExitsNonZeroSayingWhereItLooked()
    {
        var closedPort = FreePort.Next();

        await using var silo = StartSilo(TestStack.PostgresConnectionString, $"127.0.0.1:{closedPort}");
        var exitCode = await silo.WaitForExitAsync(Deadline);

        Assert.Equal(SiloStartup.ExitCodeStoreUnreachable, exitCode);
        Assert.Contains($"Redis is not reachable at 127.0.0.1:{closedPort}", silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("PostgreSQL is not reachable", silo.Error, StringComparison.Ordinal);
        var password = new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString).Password!;
        Assert.DoesNotContain(password, silo.Error + silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithoutAPostgresConnectionString_ExitsNamingTheSetting()
    {
        await using var silo = StartSilo(postgres: null, TestStack.RedisConnectionString);
        var exitCode = await silo.WaitForExitAsync(Deadline);

        Assert.Equal(SiloStartup.ExitCodeConfiguration, exitCode);
        Assert.Contains("Postgres:ConnectionString is required", silo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithSearchParametersTheIndexTypeDoesNotHave_ExitsNamingTheSettingAndFaissReason()
    {
        await using var silo = StartSilo(TestStack.PostgresConnectionString, TestStack.RedisConnectionString,
            new Dictionary<string, string> { ["MEMSYNC_Faiss__Factory"] = "Flat", ["MEMSYNC_Faiss__SearchParameters"] = "nprobe=16" });
        var exitCode = await silo.WaitForExitAsync(Deadline);

        Assert.Equal(SiloStartup.ExitCodeConfiguration, exitCode);
        Assert.Contains("Faiss:SearchParameters 'nprobe=16' do not apply to Flat", silo.Error, StringComparison.Ordinal);
        Assert.Contains("could not set parameter nprobe", silo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithAProbeTimeoutTooShortForAnyMachine_ExitsNamingTheSetting()
    {
        await using var silo = StartSilo(TestStack.PostgresConnectionString, TestStack.RedisConnectionString,
            new Dictionary<string, string> { ["MEMSYNC_Failover__ProbeTimeout"] = "00:00:00.050" });
        var exitCode = await silo.WaitForExitAsync(Deadline);

        Assert.Equal(SiloStartup.ExitCodeConfiguration, exitCode);
        Assert.Contains("Failover:ProbeTimeout must be between 200 ms and 5 min, not 00:00:00.0500000", silo.Error, StringComparison.Ordinal);
    }

    // Settings read before the host exists, and sections nothing reads until later, stop the silo the same way.
    [Fact]
    public async Task Start_WithAnAdvertisedAddressThatIsNone_AndHealthSettingsThatCannotJudge_ExitsNamingBoth()
    {
        await using var silo = StartSilo(TestStack.PostgresConnectionString, TestStack.RedisConnectionString, new Dictionary<string, string>
        {
            ["MEMSYNC_Silo__AdvertisedAddress"] = "silo-1.internal",
            ["MEMSYNC_Health__Window"] = "0",
        });
        var exitCode = await silo.WaitForExitAsync(Deadline);

        Assert.Equal(SiloStartup.ExitCodeConfiguration, exitCode);
        Assert.Contains("Silo:AdvertisedAddress must be an IP address", silo.Error, StringComparison.Ordinal);
        Assert.Contains("Health:Window must be at least 1 probe", silo.Error, StringComparison.Ordinal);
    }

    private static DotnetProcess StartSilo(string? postgres, string redis, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["MEMSYNC_Redis__ConnectionString"] = redis,
            ["MEMSYNC_Cluster__ClusterId"] = $"startup-{Guid.NewGuid():N}",
            ["MEMSYNC_Silo__HttpPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MEMSYNC_Silo__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MEMSYNC_Silo__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (postgres is not null)
        {
            environment["MEMSYNC_Postgres__ConnectionString"] = postgres;
        }

        return DotnetProcess.Start(RepoPaths.SiloDll, environment);
    }
}
