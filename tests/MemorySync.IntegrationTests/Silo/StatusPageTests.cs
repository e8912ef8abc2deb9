using System.Diagnostics;
using System.Text.Json;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>/status rendered by a real headless Chromium: what it shows is what /status.json reports.</summary>
[Collection(RunningSiloCollection.Name)]
public sealed class StatusPageTests(RunningSiloFixture silo)
{
    [Fact]
    public async Task StatusPage_InHeadlessChromium_ShowsTheStoreHealthOutboxDepthSilosAndSweepsOfTheJsonEndpoint()
    {
        var adminKey = await silo.AdminKeyAsync();
        using var json = JsonDocument.Parse(await (await silo.AdminHttpAsync()).GetStringAsync("/status.json"));
        var health = json.RootElement.GetProperty("health");
        var pending = health.GetProperty("outbox").GetProperty("pending").GetInt64();
        // The browser answers the Basic prompt with the URL's credentials, as an operator types them into it (the key
        // is a throwaway of this fixture's database; a real operator never puts a key in a URL).
        var url = $"http://operator:{adminKey}@127.0.0.1:{silo.HttpPort}/status";

        var dom = await ChromiumAsync("--dump-dom", url);
        Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "TestResults"));
        var screenshot = Path.Combine(RepoPaths.Root, "TestResults", "status.png");
        await ChromiumAsync($"--screenshot={screenshot}", url);

        foreach (var store in health.GetProperty("stores").EnumerateArray())
        {
            var name = store.GetProperty("store").GetString();
            var state = store.GetProperty("state").GetString();
            Assert.Contains($"<tr id=\"store-{name}\"><td>{name}</td><td class=\"{state}\">{state}</td>", dom, StringComparison.Ordinal);
        }

        Assert.Contains($"<div class=\"big\" id=\"outbox-pending\">{pending}</div>", dom, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard/\"", dom, StringComparison.Ordinal);

        // The silo itself, with what it hosts, and one row per consistency partition.
        var silos = json.RootElement.GetProperty("silos");
        var address = Assert.Single(silos.EnumerateArray()).GetProperty("address").GetString();
        Assert.Contains($"<td>{address}</td>", dom, StringComparison.Ordinal);
        var partitions = json.RootElement.GetProperty("sweeps").GetArrayLength();
        Assert.Equal(16, partitions);
        for (var partition = 0; partition < partitions; partition++)
        {
            Assert.Contains($"<tr id=\"sweep-{partition}\"><td>partition {partition}</td>", dom, StringComparison.Ordinal);
        }

        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should hold the rendered page");
    }

    private static async Task<string> ChromiumAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"chromium-{Guid.NewGuid():N}")}",
                     "--window-size=1280,900", "--virtual-time-budget=5000",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium (Debian's package) is not installed; ./test.sh installs it");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await error;
        return await output;
    }
}
