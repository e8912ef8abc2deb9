using System.CommandLine;
using MemorySync.Keys;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync keys create|list|revoke</c>: API keys of the HTTP API and MCP. A new key is printed once; only the hash of
/// its secret is stored.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("keys", "Make, list and revoke API keys for the HTTP API and MCP");
        command.Subcommands.Add(CreateKey(context));
        command.Subcommands.Add(ListKeys(context));
        command.Subcommands.Add(RevokeKey(context));
        return command;
    }

    private static Command CreateKey(CliContext context)
    {
        var agents = new Option<string[]>("--agent") { Description = "An agent the key acts for (repeat for several; none for admin)", AllowMultipleArgumentsPerToken = false };
        var scope = new Option<string>("--scope") { Description = "read, write (includes read) or admin (everything, every agent)", Required = true };
        var expires = new Option<string?>("--expires") { Description = "Lifetime, such as 30d or 12h (default: never expires)" };
        var rate = new Option<int?>("--rate") { Description = "The key's own rate limit, calls a second (default: the silo's Api:RequestsPerSecond)" };
        var command = new Command("create", "Make a key; its secret is printed this once") { agents, scope, expires, rate };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var scopeName = parse.GetValue(scope)!;
            var parsedScope = ApiScopes.Parse(scopeName) ?? throw new CliInputException($"--scope: '{scopeName}' is not one of read, write, admin");
            var lifetime = parse.GetValue(expires) is { } text ? Durations.Parse("--expires", text) : (TimeSpan?)null;
            var request = new ApiKeyRequest(parse.GetValue(agents) ?? [], parsedScope, DateTimeOffset.UtcNow + lifetime, parse.GetValue(rate));
            var key = await client.Operations.CreateKeyAsync(request);
            var bound = key.Agents.Count == 0 ? "every agent" : string.Join(", ", key.Agents);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(key),
                $"{key.Key}\n(key {key.KeyId}: {string.Join(", ", key.Scopes)} for {bound}; shown this once, keep it secret)");
        }, cancellationToken));
        return command;
    }

    private static Command ListKeys(CliContext context)
    {
        var command = new Command("list", "Every key (never its secret), revoked and expired ones included");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var keys = await client.Operations.ListKeysAsync();
            var human = keys.Count == 0
                ? "no keys"
                : string.Join(Environment.NewLine, keys.Select(key =>
                    $"{key.KeyId}  {key.Scopes[^1],-5}  {(key.Agents.Count == 0 ? "*" : string.Join(",", key.Agents))}  {State(key)}"));
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(keys), human);
        }, cancellationToken));
        return command;
    }

    private static Command RevokeKey(CliContext context)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key's id (key_id), as create and list show it" };
        var command = new Command("revoke", "Revoke a key; every silo refuses it within Api:KeyCacheSeconds") { keyId };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var id = parse.GetValue(keyId)!;
            if (!await client.Operations.RevokeKeyAsync(id))
            {
                return await context.FailAsync(CliContext.ExitNotFound, $"key {id} not found");
            }

            return await context.PrintAsync(parse, MemorySyncJson.Serialize(new { KeyId = id, Revoked = true }), $"revoked {id}");
        }, cancellationToken));
        return command;
    }

    private static string State(ApiKeyInfo key) => key switch
    {
        { RevokedAt: { } revoked } => $"revoked {revoked:u}",
        { ExpiresAt: { } expires } when expires <= DateTimeOffset.UtcNow => $"expired {expires:u}",
        { ExpiresAt: { } expires } => $"expires {expires:u}",
        _ => "never expires",
    };
}
