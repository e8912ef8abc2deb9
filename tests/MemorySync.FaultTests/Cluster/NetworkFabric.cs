using System.Globalization;

namespace MemorySync.FaultTests.Cluster;

/// <summary>
/// A small network of real Linux network namespaces, so a test can cut silos off from each other or from their clients
/// while they still reach PostgreSQL and Redis. A bridge in the host's namespace carries a /24 of its own: the servers
/// listen at <see cref="ServerAddress"/>, the harness's clients speak from <see cref="ClientAddress"/>, and each silo
/// runs in a namespace of its own at <see cref="SiloAddress"/>, joined to the bridge by a veth pair.
/// Cuts are blackhole routes and rules inside a silo's namespace, so they drop packets the way a failed switch would:
/// nothing is refused, connections just stop answering. Needs root and iproute2.
/// </summary>
internal sealed class NetworkFabric : IAsyncDisposable
{
    // Every name starts with the prefix and the owning test process's id: a run that crashed left names whose process is
    // gone, and the next run deletes them; a run still going keeps its own.
    private const string LinkPrefix = "msf";
    private const string NamespacePrefix = "memsync-fabric-";
    private const string SubnetPrefix = "10.77.";

    private readonly int _owner = Environment.ProcessId;
    private readonly int _silos;
    private readonly int _subnet;
    private readonly List<Cut> _cuts = [];

    private NetworkFabric(int silos, int subnet)
    {
        _silos = silos;
        _subnet = subnet;
    }

    /// <summary>Where PostgreSQL and Redis listen, in the host's namespace.</summary>
    public string ServerAddress => Address(1);

    /// <summary>The address the harness's clients (and its /health checks) speak from, in the host's namespace.</summary>
    public string ClientAddress => Address(2);

    /// <summary>The silos' subnet, for PostgreSQL's trust line.</summary>
    public string Subnet => $"{Address(0)}/24";

    public string SiloAddress(int silo) => Address(10 + silo);

    /// <summary>What runs a program inside the silo's namespace (ip execs it in place, so its pid stays the program's).</summary>
    public IReadOnlyList<string> CommandPrefix(int silo) => ["ip", "netns", "exec", Namespace(silo)];

    /// <summary>Deletes what crashed runs left behind, then builds the bridge and one namespace per silo.</summary>
    public static async Task<NetworkFabric> CreateAsync(int silos)
    {
        await DeleteLeftoversAsync();
        var fabric = new NetworkFabric(silos, await FreeSubnetAsync());
        try
        {
            await fabric.BuildAsync();
            return fabric;
        }
        catch
        {
            await fabric.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops every packet <paramref name="silo"/> sends to <paramref name="other"/>; what the other sends still arrives.</summary>
    public Task CutSiloFromSiloAsync(int silo, int other) => CutAsync(new Cut(Namespace(silo), "route", ["blackhole", $"{SiloAddress(other)}/32"]));

    /// <summary>Drops every packet between the silo and the harness's clients, both ways; the silo still reaches the servers and the other silos.</summary>
    public async Task CutSiloFromClientsAsync(int silo)
    {
        await CutAsync(new Cut(Namespace(silo), "route", ["blackhole", $"{ClientAddress}/32"]));
        // A route only decides where the silo's own packets go; a rule on the source drops what arrives from the clients.
        await CutAsync(new Cut(Namespace(silo), "rule", ["from", ClientAddress, "blackhole"]));
    }

    /// <summary>Removes every cut, newest first.</summary>
    public async Task HealAsync()
    {
        for (var i = _cuts.Count - 1; i >= 0; i--)
        {
            await _cuts[i].RunAsync("del");
            _cuts.RemoveAt(i);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A namespace's end of a veth pair goes with the namespace, and takes its host end along.
        for (var silo = 0; silo < _silos; silo++)
        {
            await IpCommand.TryRunAsync("netns", "delete", Namespace(silo));
        }

        await IpCommand.TryRunAsync("link", "delete", Bridge);
    }

    private string Bridge => $"{LinkPrefix}{_owner}b";

    private string Namespace(int silo) => string.Create(CultureInfo.InvariantCulture, $"{NamespacePrefix}{_owner}-{silo}");

    // Interface names have at most 15 characters: "msf" + a pid of up to 7 digits + 'h' + the silo's number.
    private string HostEnd(int silo) => string.Create(CultureInfo.InvariantCulture, $"{LinkPrefix}{_owner}h{silo}");

    private string NamespaceEnd(int silo) => string.Create(CultureInfo.InvariantCulture, $"{LinkPrefix}{_owner}n{silo}");

    private string Address(int host) => string.Create(CultureInfo.InvariantCulture, $"{SubnetPrefix}{_subnet}.{host}");

    private async Task BuildAsync()
    {
        await IpCommand.RunAsync("link", "add", Bridge, "type", "bridge");
        await IpCommand.RunAsync("address", "add", $"{ServerAddress}/24", "dev", Bridge);
        await IpCommand.RunAsync("address", "add", $"{ClientAddress}/24", "dev", Bridge);
        await IpCommand.RunAsync("link", "set", Bridge, "up");
        for (var silo = 0; silo < _silos; silo++)
        {
            var space = Namespace(silo);
            await IpCommand.RunAsync("netns", "add", space);
            await IpCommand.RunAsync("netns", "exec", space, "ip", "link", "set", "lo", "up");
            await IpCommand.RunAsync("link", "add", HostEnd(silo), "type", "veth", "peer", "name", NamespaceEnd(silo));
            await IpCommand.RunAsync("link", "set", HostEnd(silo), "master", Bridge);
            await IpCommand.RunAsync("link", "set", HostEnd(silo), "up");
            await IpCommand.RunAsync("link", "set", NamespaceEnd(silo), "netns", space);
            await IpCommand.RunAsync("netns", "exec", space, "ip", "address", "add", $"{SiloAddress(silo)}/24", "dev", NamespaceEnd(silo));
            await IpCommand.RunAsync("netns", "exec", space, "ip", "link", "set", NamespaceEnd(silo), "up");
            // The harness reaches the silo from the client address, so that cutting the clients off leaves the servers
            // (which answer the silo from the server address) alone.
            await IpCommand.RunAsync("route", "add", $"{SiloAddress(silo)}/32", "dev", Bridge, "src", ClientAddress);
        }
    }

    private async Task CutAsync(Cut cut)
    {
        await cut.RunAsync("add");
        _cuts.Add(cut);
    }

    // The first 10.77.x.0/24 no interface of this machine has an address in: another run's fabric, or the machine's own.
    private static async Task<int> FreeSubnetAsync()
    {
        var addresses = await IpCommand.RunAsync("-4", "-o", "address", "show");
        for (var subnet = 0; subnet < 256; subnet++)
        {
            if (!addresses.Contains(string.Create(CultureInfo.InvariantCulture, $" {SubnetPrefix}{subnet}."), StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException($"every {SubnetPrefix}x.0/24 is taken on this machine");
    }

    private static async Task DeleteLeftoversAsync()
    {
        foreach (var line in (await IpCommand.RunAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(NamespacePrefix, StringComparison.Ordinal) && OwnerIsGone(name[NamespacePrefix.Length..].Split('-')[0]))
            {
                await IpCommand.TryRunAsync("netns", "delete", name);
            }
        }

        // "4: msf123b: <...>" or "5: msf123h0@if4: <...>": the name up to '@' or ':'.
        foreach (var line in (await IpCommand.RunAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(':')[1].Trim().Split('@')[0];
            if (name.StartsWith(LinkPrefix, StringComparison.Ordinal) && OwnerIsGone(new string([.. name[LinkPrefix.Length..].TakeWhile(char.IsAsciiDigit)])))
            {
                await IpCommand.TryRunAsync("link", "delete", name);
            }
        }
    }

    private static bool OwnerIsGone(string processId) => processId.Length > 0 && !Directory.Exists($"/proc/{processId}");

    /// <summary>One route or rule inside a namespace: added as given, and healed by deleting exactly the same.</summary>
    private sealed record Cut(string Namespace, string Object, string[] Arguments)
    {
        public Task RunAsync(string verb) => IpCommand.RunAsync(["netns", "exec", Namespace, "ip", Object, verb, .. Arguments]);
    }
}
