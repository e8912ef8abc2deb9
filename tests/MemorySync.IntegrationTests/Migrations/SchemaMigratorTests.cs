using MemorySync.Migrations;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemorySync.IntegrationTests.Migrations;

public sealed class SchemaMigratorTests
{
    private static readonly string[] DesignTables =
    [
        "episodic_memory", "memory_versions", "sync_transactions", "conflict_resolutions", "sync_queue",
        "orleansquery", "orleans_grain_state", "orleans_reminder", "schema_migrations",
    ];

    private static readonly string[] OrleansQueryKeys =
    [
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Apply_OnAFreshDatabase_CreatesEveryTableViewAndFunctionOfTheDesign()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var migrator = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);

        var applied = await migrator.ApplyAsync();

        Assert.Equal(MigrationCatalog.All.Select(m => m.Name), applied);
        var tables = await database.ColumnAsync("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.All(DesignTables, table => Assert.Contains(table, tables));
        Assert.Contains("v_memory_sync_status", tables);
        var functions = await database.ColumnAsync("SELECT routine_name::text FROM information_schema.routines WHERE routine_schema = 'public'");
        Assert.Contains("get_sync_statistics", functions);
        Assert.Contains("check_memory_consistency", functions);
        var queryKeys = await database.ColumnAsync("SELECT querykey::text FROM orleansquery");
        Assert.Equal(OrleansQueryKeys.Order(), queryKeys.Order());
    }

    [Fact]
    public async Task Apply_Twice_SecondRunAppliesNothingAndChangesNothing()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var migrator = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);
        await migrator.ApplyAsync();
        await using (var insert = database.DataSource.CreateCommand(
            "INSERT INTO episodic_memory (memory_id, content, memory_type, importance, version, checksum) VALUES ('m1', 'kept', 'semantic', 0.5, 1, 'c')"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var secondRun = await migrator.ApplyAsync();

        Assert.Empty(secondRun);
        Assert.Equal(MigrationCatalog.All.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal("kept", await database.ScalarAsync<string>("SELECT content FROM episodic_memory WHERE memory_id = 'm1'"));
    }

    [Fact]
    public async Task Apply_ConcurrentlyFromTwoSilos_AppliesEachMigrationOnce()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var first = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);
        var second = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);

        var results = await Task.WhenAll(first.ApplyAsync(), second.ApplyAsync());

        Assert.Equal(MigrationCatalog.All.Count, results.Sum(result => result.Count));
        Assert.Equal(MigrationCatalog.All.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Apply_AfterAnAppliedMigrationWasEdited_RefusesWithItsName()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var migrator = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);
        await migrator.ApplyAsync();
        var edited = MigrationCatalog.All
            .Select(m => m.Version == 1 ? m with { Sql = m.Sql + "\n-- edited after release\n" } : m)
            .ToList();

        var error = await Assert.ThrowsAsync<MigrationDriftException>(() => migrator.ApplyAsync(edited, CancellationToken.None));

        Assert.Equal(MigrationCatalog.All[0].Name, error.MigrationName);
    }

    [Fact]
    public async Task Apply_WhenAMigrationFails_LeavesTheDatabaseAsItWas()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var migrator = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);
        var broken = MigrationCatalog.All.Append(new Migration(9999, "9999_broken", "CREATE TABLE half_done (id int); SELECT no_such_function();")).ToList();

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => migrator.ApplyAsync(broken, CancellationToken.None));

        var tables = await database.ColumnAsync("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.DoesNotContain("half_done", tables);
        Assert.DoesNotContain("episodic_memory", tables);
    }
}
