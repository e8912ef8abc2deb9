using System.Text.Json.Serialization;

namespace MemorySync;

/// <summary>The health of every store, as seen from one silo.</summary>
/// <param name="Silo">The address of the silo that ran the probes.</param>
/// <param name="CheckedAt">When the probes ran.</param>
/// <param name="Stores">One entry per store.</param>
/// <param name="Outbox">What the secondary stores still owe, when PostgreSQL could be asked.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.HealthReport")]
public sealed record HealthReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset CheckedAt,
    [property: Id(2)] IReadOnlyList<StoreHealth> Stores,
    [property: Id(3)] OutboxStatus? Outbox = null)
{
    /// <summary>
    /// Unhealthy when PostgreSQL (the source of truth, without which nothing can be written) is; Degraded when Redis
    /// or FAISS is down or slow, or the outbox holds dead letters: writes still succeed and the stores catch up later.
    /// </summary>
    [JsonPropertyName("status")]
    [JsonPropertyOrder(-1)]
    public StoreState Overall
    {
        get
        {
            if (Stores.Count == 0 || Stores.Any(store => store.Store == "postgres" && store.State == StoreState.Unhealthy))
            {
                return StoreState.Unhealthy;
            }

            var worst = Stores.Max(store => store.State);
            return worst != StoreState.Healthy || Outbox is { Dead: > 0 } ? StoreState.Degraded : StoreState.Healthy;
        }
    }
}
