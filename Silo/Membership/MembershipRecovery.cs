using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MemorySync.Silo.Membership;

/// <summary>
/// Puts this silo back into Orleans' membership table when Redis lost it (Redis restarted without its data, or
/// flushed). Orleans itself never writes a lost entry again: the silos keep serving each other from their own views,
/// but a client that connects afterwards reads an empty table, finds no gateway and cannot reach the cluster.
/// </summary>
/// <remarks>
/// Recovery runs in two steps, so that no live silo is ever declared dead by it. First each silo inserts its own entry
/// into the new table, whose version starts again near zero: below every silo's view, so Orleans ignores the table
/// meanwhile and nobody acts on the missing rows. Once every silo this one knows as active is back in the table (or a
/// silo took longer than <see cref="WaitForOthers"/>: it is not coming), the version is lifted above this silo's view,
/// and every silo takes the new table, with itself in it, as the next version. A silo whose view is newer still lifts
/// it again in turn.
/// </remarks>
internal sealed class MembershipRecovery(
    IMembershipTable table,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IConnectionMultiplexer redis,
    IOptions<RedisClusteringOptions> clusteringOptions,
    IOptions<ClusterOptions> clusterOptions,
    ILogger<MembershipRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WaitForOthers = TimeSpan.FromSeconds(30);

    // Orleans' Redis table keeps its version in this field of the table's hash, as the decimal number itself.
    private const string VersionField = "Version";

    private readonly RedisKey _tableKey = clusteringOptions.Value.CreateRedisKey(clusterOptions.Value);
    private MembershipEntry? _ownEntry;
    private DateTime? _lostAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckPeriod);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Redis is down or restarting (StackExchange.Redis reports a reset connection in more types than its own):
                // the next tick looks again. Letting it escape would end this service, and the host with it.
                MembershipLog.CheckFailed(logger, exception);
            }
        }
    }

    private async Task CheckAsync()
    {
        // A table that is gone entirely has no version row either, and Orleans' silos read and insert against it:
        // clients used to put it back (Orleans' client provider creates the table), but they only read now.
        await redis.GetDatabase().HashSetAsync(_tableKey, VersionField, "0", When.NotExists);
        var view = membership.CurrentSnapshot;
        // Only an active silo belongs in the table; one that is starting or stopping is Orleans' own business.
        if (view.GetSiloStatus(localSilo.SiloAddress) != SiloStatus.Active)
        {
            return;
        }

        var row = await table.ReadRowAsync(localSilo.SiloAddress);
        var own = row.Members.Count > 0 ? row.Members[0].Item1 : null;
        if (_lostAt is null)
        {
            if (own is not null)
            {
                _ownEntry = own;
                return;
            }

            _lostAt = DateTime.UtcNow;
            MembershipLog.EntryLost(logger, localSilo.SiloAddress);
        }

        if (own is null)
        {
            await InsertOwnEntryAsync();
            return;
        }

        var current = await table.ReadAllAsync();
        var viewVersion = (int)view.Version.Value;
        if (current.Version.Version > viewVersion)
        {
            Recovered(current.Version.Version);
            return;
        }

        var missing = view.Members.Values.Count(member => member.Status == SiloStatus.Active &&
            !current.Members.Any(entry => entry.Item1.SiloAddress.Equals(member.SiloAddress)));
        if (missing > 0 && DateTime.UtcNow - _lostAt < WaitForOthers)
        {
            return;
        }

        if (await LiftVersionAsync(current.Version, viewVersion + 1))
        {
            Recovered(viewVersion + 1);
        }
    }

    // The entry this silo had before the loss (start time, names, gateway port), alive now and suspected by no one.
    private async Task InsertOwnEntryAsync()
    {
        var entry = new MembershipEntry
        {
            SiloAddress = localSilo.SiloAddress,
            Status = SiloStatus.Active,
            ProxyPort = _ownEntry?.ProxyPort ?? localSilo.GatewayAddress?.Endpoint.Port ?? 0,
            HostName = _ownEntry?.HostName ?? localSilo.DnsHostName,
            SiloName = _ownEntry?.SiloName ?? localSilo.Name,
            RoleName = _ownEntry?.RoleName,
            UpdateZone = _ownEntry?.UpdateZone ?? 0,
            FaultZone = _ownEntry?.FaultZone ?? 0,
            StartTime = _ownEntry?.StartTime ?? DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        // A table that is gone entirely has no version row, and Orleans' conditional insert needs one.
        await redis.GetDatabase().HashSetAsync(_tableKey, VersionField, "0", When.NotExists);
        var version = (await table.ReadRowAsync(localSilo.SiloAddress)).Version;
        // Refused when another silo inserted at the same moment: the next tick tries on top of its version.
        await table.InsertRowAsync(entry, version.Next());
    }

    private async Task<bool> LiftVersionAsync(TableVersion current, int lifted)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_tableKey, VersionField, current.VersionEtag));
        _ = transaction.HashSetAsync(_tableKey, VersionField, lifted);
        return await transaction.ExecuteAsync();
    }

    private void Recovered(int tableVersion)
    {
        MembershipLog.EntryRestored(logger, localSilo.SiloAddress, tableVersion, DateTime.UtcNow - _lostAt!.Value);
        _lostAt = null;
    }
}
