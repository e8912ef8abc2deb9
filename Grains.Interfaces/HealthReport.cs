using System.Text.Json.Serialization;

namespace MemorySync;

/// <summary>The health of every store, as seen from one silo.</summary>
/// <param name="Silo">The address of the silo that ran the probes.</param>
/// <param name="CheckedAt">When the probes ran.</param>
/// <param name="Stores">One entry per store.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.HealthReport")]
public sealed record HealthReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset CheckedAt,
    [property: Id(2)] IReadOnlyList<StoreHealth> Stores)
{
    /// <summary>The worst state of any store: the system is only as healthy as its weakest store.</summary>
    [JsonPropertyName("status")]
    [JsonPropertyOrder(-1)]
    public StoreState Overall => Stores.Count == 0 ? StoreState.Unhealthy : Stores.Max(store => store.State);
}
