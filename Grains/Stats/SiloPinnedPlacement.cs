using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace MemorySync.Stats;

/// <summary>
/// Places a grain on the silo whose address (<see cref="SiloAddress.ToParsableString"/>) is its key, so a caller can
/// reach one process of the cluster in particular: asking each silo about itself.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class SiloPinnedPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(new SiloPinnedPlacement());

internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = context.GetCompatibleSilos(target).FirstOrDefault(candidate => candidate.ToParsableString() == key);
        // No silo by that address (it left the cluster): refuse rather than answer for another process.
        return silo is not null
            ? Task.FromResult(silo)
            : throw new OrleansException($"no active silo has the address {key}");
    }
}
