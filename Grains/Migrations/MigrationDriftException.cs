namespace MemorySync.Migrations;

/// <summary>A migration that was already applied has been edited since: add a new migration instead.</summary>
public sealed class MigrationDriftException : Exception
{
    public MigrationDriftException(string migrationName)
        : base($"migration {migrationName} was applied with different contents; never edit an applied migration, add a new one")
    {
        MigrationName = migrationName;
    }

    public MigrationDriftException()
    {
        MigrationName = string.Empty;
    }

    public MigrationDriftException(string message, Exception innerException)
        : base(message, innerException)
    {
        MigrationName = string.Empty;
    }

    public string MigrationName { get; }
}
