namespace MemorySync.Testing;

/// <summary>Where the built silo and CLI are, found from this test assembly's own build folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in, so the silo matches it.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Path.Combine(Root, "Silo", "bin", Configuration, "net10.0", "MemorySync.Silo.dll");

    public static string CliDll => Path.Combine(Root, "Client", "MemorySync.Cli", "bin", Configuration, "net10.0", "memsync.dll");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MemorySync.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MemorySync.sln not found above " + AppContext.BaseDirectory);
    }
}
