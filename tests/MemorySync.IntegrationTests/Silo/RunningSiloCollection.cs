namespace MemorySync.IntegrationTests.Silo;

/// <summary>
/// The test classes that need a real silo process and leave it as they found it share one (a silo takes seconds to
/// start). A class that kills or restarts its silo, or that needs other settings, keeps a fixture of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RunningSiloCollection : ICollectionFixture<RunningSiloFixture>
{
    public const string Name = "running silo";
}
