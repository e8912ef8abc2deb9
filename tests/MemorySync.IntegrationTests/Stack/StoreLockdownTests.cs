using System.Net.Sockets;
using System.Text;
using MemorySync.Testing;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Stack;

/// <summary>The test stack's Redis and PostgreSQL as scripts/stack.sh locks them: what each login may not do.</summary>
// File modes and /proc are Linux facts; the stack runs on Linux only.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StoreLockdownTests
{
    private static int RedisPort => ConfigurationOptions.Parse(TestStack.RedisConnectionString).EndPoints.Single() switch
    {
        System.Net.IPEndPoint ip => ip.Port,
        System.Net.DnsEndPoint dns => dns.Port,
        var other => throw new InvalidOperationException($"unexpected Redis endpoint {other}"),
    };

    [Fact]
    public async Task Redis_WithoutAPassword_AnswersNoAuth_ToEveryCommand()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", RedisPort);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\nKEYS *\r\n"));
        var answer = new StringBuilder();
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (answer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length < 2)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"Redis closed the connection after: {answer}");
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.All(answer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("-NOAUTH", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientUser_ReadsMembership_ButCannotReadOrWriteWorkingMemory()
    {
        await using var silo = await ConnectionMultiplexer.ConnectAsync(TestStack.RedisConnectionString);
        await using var client = await ConnectionMultiplexer.ConnectAsync(TestStack.ClientRedisConnectionString);
        var memory = global::MemorySync.Model.RedisKeyScheme.MemoryKey("memsync", $"lockdown-{Guid.NewGuid():N}");
        var membership = (RedisKey)$"memsync/members/lockdown-{Guid.NewGuid():N}";
        await silo.GetDatabase().HashSetAsync(memory, "content", "working memory");
        await silo.GetDatabase().HashSetAsync(membership, "Version", "1");
        try
        {
            Assert.Equal("1", (await client.GetDatabase().HashGetAllAsync(membership)).Single().Value.ToString());

            await AssertRefusedAsync(() => client.GetDatabase().HashGetAllAsync(memory));
            await AssertRefusedAsync(() => client.GetDatabase().HashGetAsync(memory, "content"));
            await AssertRefusedAsync(() => client.GetDatabase().HashSetAsync(memory, "content", "edited by a client"));
            await AssertRefusedAsync(() => client.GetDatabase().KeyDeleteAsync(memory));
            await AssertRefusedAsync(() => client.GetDatabase().HashSetAsync(membership, "S10.0.0.66:1:1", "{}"));
            await AssertRefusedAsync(() => client.GetDatabase().ScriptEvaluateAsync("return redis.call('HGETALL', KEYS[1])", [memory]));

            Assert.Equal("working memory", (await silo.GetDatabase().HashGetAsync(memory, "content")).ToString());
            Assert.Single(await silo.GetDatabase().HashGetAllAsync(membership));
        }
        finally
        {
            await silo.GetDatabase().KeyDeleteAsync([memory, membership]);
        }
    }

    [Fact]
    public async Task SiloUser_CannotFlushReconfigureOrChangeUsers_NorTouchOtherApplicationsKeys()
    {
        // allowAdmin only lifts StackExchange.Redis' own guard, so the refusals below are the server's.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestStack.RedisConnectionString + ",allowAdmin=true");
        var database = redis.GetDatabase();
        var marker = (RedisKey)$"memsync:lockdown:{Guid.NewGuid():N}";
        await database.HashSetAsync(marker, "field", "still here");
        try
        {
            foreach (var command in new[] { new[] { "FLUSHALL" }, ["FLUSHDB"], ["CONFIG", "GET", "*"], ["CONFIG", "SET", "protected-mode", "no"],
                         ["ACL", "LIST"], ["ACL", "SETUSER", "intruder", "on", ">x", "+@all"], ["KEYS", "*"], ["MONITOR"], ["SHUTDOWN"] })
            {
                await AssertRefusedAsync(() => database.ExecuteAsync(command[0], command[1..].Cast<object>().ToArray()));
            }

            await AssertRefusedAsync(() => database.StringGetAsync("otherapp:secret"));
            await AssertRefusedAsync(() => database.HashSetAsync("otherapp:secret", "field", "value"));
            Assert.Equal("still here", (await database.HashGetAsync(marker, "field")).ToString());
        }
        finally
        {
            await database.KeyDeleteAsync(marker);
        }
    }

    [Fact]
    public async Task RedisServer_RunsAsItsOwnUser_AndOnlyThatUserMayReadItsFiles()
    {
        var home = (await File.ReadAllTextAsync(Path.Combine(TestStack.StateDirectory, "redis-location"))).Trim();
        var pid = (await File.ReadAllTextAsync(Path.Combine(home, "redis.pid"))).Trim();
        var uid = (await File.ReadAllLinesAsync($"/proc/{pid}/status")).Single(line => line.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..].Distinct().Single();
        Assert.NotEqual("0", uid);
        Assert.Contains($"redis:x:{uid}:", await File.ReadAllTextAsync("/etc/passwd"), StringComparison.Ordinal);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home));
        var files = Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, file => file.Contains("appendonly", StringComparison.Ordinal));
        Assert.All(files, file => Assert.True((File.GetUnixFileMode(file) & (UnixFileMode)0b000_111_111) == 0, $"{file} is readable by others"));
    }

    [Fact]
    public async Task PostgresApplicationRole_MayNotCreateDatabases_NorSignalOtherBackends()
    {
        await using var postgres = NpgsqlDataSource.Create(TestStack.PostgresConnectionString);
        await using (var command = postgres.CreateCommand(
                         "SELECT rolcreatedb, rolsuper, rolcreaterole, pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') FROM pg_roles WHERE rolname = current_user"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.False(reader.GetBoolean(0), "the application role has CREATEDB");
            Assert.False(reader.GetBoolean(1), "the application role is a superuser");
            Assert.False(reader.GetBoolean(2), "the application role has CREATEROLE");
            Assert.False(reader.GetBoolean(3), "the application role is a member of pg_signal_backend");
        }

        await using var create = postgres.CreateCommand($"CREATE DATABASE lockdown_{Guid.NewGuid():N}");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => create.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private static async Task AssertRefusedAsync(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<RedisServerException>(call);
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
    }
}
