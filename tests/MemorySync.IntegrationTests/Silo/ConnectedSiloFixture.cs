using MemorySync.Client;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>A real silo process and a client connected to it, which a test may replace after restarting the silo.</summary>
public abstract class ConnectedSiloFixture : RunningSiloFixture
{
    public MemorySyncClient Client { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await ConnectAsync();
    }

    /// <summary>A new client (after the silo was killed and started again, the old one may hold dead connections).</summary>
    public async Task ConnectAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        Client = await MemorySyncClient.ConnectAsync(ClientOptions);
    }

    /// <summary>Kills the silo (SIGKILL), starts it again on the same data and ports, and connects a new client.</summary>
    public override async Task RestartAsync()
    {
        await base.RestartAsync();
        await ConnectAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
