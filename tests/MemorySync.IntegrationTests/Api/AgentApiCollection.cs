namespace MemorySync.IntegrationTests.Api;

/// <summary>
/// The agent API's test classes share one silo process and its keys: each test writes memories of fresh ids and makes
/// the keys it revokes or exhausts itself, so none depends on what another left.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentApiCollection : ICollectionFixture<AgentApiFixture>
{
    public const string Name = "agent API";
}
