using System.Globalization;
using System.Reflection;

namespace MemorySync.Migrations;

/// <summary>The migrations embedded in this assembly from sql/, in version order.</summary>
public static class MigrationCatalog
{
    private const string ResourcePrefix = "MemorySync.Sql.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    private static List<Migration> Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Parse(assembly, name))
            .OrderBy(migration => migration.Version)
            .ToList();
        var duplicate = migrations.GroupBy(migration => migration.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}");
        }

        return migrations;
    }

    private static Migration Parse(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..^".sql".Length];
        var separator = fileName.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"migration file {fileName}.sql must be named NNNN_description.sql");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded migration {resourceName} could not be read");
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName, reader.ReadToEnd());
    }
}
