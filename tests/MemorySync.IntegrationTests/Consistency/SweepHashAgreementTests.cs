using MemorySync.Migrations;
using MemorySync.Model;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Consistency;

/// <summary>
/// PostgreSQL (sql/0003), Redis (the sweep's Lua) and .NET (SweepHash) must compute the same ranges and fingerprints,
/// or every range would differ forever; checked on the real servers over ids of every allowed character.
/// </summary>
public sealed class SweepHashAgreementTests
{
    private static readonly string[] Ids = Enumerable.Range(0, 300)
        .Select(i => $"id-{i}.{(char)('a' + i % 26)}:{i * 7919 % 1000}_X")
        .Append("a").Append(new string('z', 512)).ToArray();

    [Fact]
    public async Task PostgresAndDotnet_AgreeOnRangesAndFingerprints()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        await using var command = database.DataSource.CreateCommand(
            "SELECT id, memsync_sweep_range(id), memsync_fingerprint(id || E'\\n7\\nabc\\nagent-1\\nsemantic\\n' || encode(digest('Caf\u00e9 ' || id, 'sha1'), 'hex')) FROM unnest(@ids) AS id");
        command.Parameters.AddWithValue("ids", Ids);
        await using var reader = await command.ExecuteReaderAsync();
        var compared = 0;
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            Assert.Equal(SweepHash.RangeOf(id), reader.GetInt32(1));
            Assert.Equal(SweepHash.RedisToken(id, 7, "abc", "agent-1", "semantic", "Café " + id), reader.GetInt32(2));
            compared++;
        }

        Assert.Equal(Ids.Length, compared);
    }

    [Fact]
    public async Task RedisLuaAndDotnet_AgreeOnRangesAndFingerprints()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestStack.RedisConnectionString);
        const string script = """
            local result = {}
            for i, id in ipairs(ARGV) do
                table.insert(result, tonumber(string.sub(redis.sha1hex(id), 1, 4), 16) % 4096)
                table.insert(result, bit.tobit(tonumber(string.sub(redis.sha1hex(
                    id .. '\n7\nabc\nagent-1\nsemantic\n' .. redis.sha1hex('Caf\195\169 ' .. id)), 1, 8), 16)))
            end
            return result
            """;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(script, [], Ids.Select(id => (RedisValue)id).ToArray()))!;
        for (var i = 0; i < Ids.Length; i++)
        {
            Assert.Equal(SweepHash.RangeOf(Ids[i]), (int)result[2 * i]);
            Assert.Equal(SweepHash.RedisToken(Ids[i], 7, "abc", "agent-1", "semantic", "Café " + Ids[i]), (int)result[2 * i + 1]);
        }
    }
}
