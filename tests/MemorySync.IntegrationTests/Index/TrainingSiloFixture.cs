using MemorySync.Client;
using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Index;

/// <summary>
/// A real silo configured with an IVF index that trains once its one shard holds <see cref="TrainAfterVectors"/>
/// vectors. nprobe covers every list, so searches stay exact and a test may expect every memory to be found.
/// </summary>
public sealed class TrainingSiloFixture : RunningSiloFixture
{
    public const string Factory = "IVF16,Flat";
    public const int TrainAfterVectors = 300;

    public MemorySyncClient Client { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Faiss__Factory"] = Factory,
        ["MEMSYNC_Faiss__SearchParameters"] = "nprobe=16",
        ["MEMSYNC_Faiss__TrainAfterVectors"] = TrainAfterVectors.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

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

    public override async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await base.DisposeAsync();
    }
}
