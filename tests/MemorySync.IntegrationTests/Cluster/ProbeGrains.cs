using MemorySync.Silo;

namespace MemorySync.IntegrationTests.Cluster;

/// <summary>A grain with state in the real PostgreSQL storage, and a tag that changes with every activation.</summary>
public interface IStateProbeGrain : IGrainWithStringKey
{
    Task SetAsync(int value);

    Task<int> GetAsync();

    Task<Guid> ActivationTagAsync();
}

/// <summary>A grain that counts the ticks of a reminder kept in the real PostgreSQL reminder table.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    Task StopAsync();

    Task<int> TicksAsync();
}

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public int Value { get; set; }
}

internal sealed class StateProbeGrain(
    [PersistentState("stateProbe", MemorySyncSiloBuilderExtensions.StorageName)] IPersistentState<ProbeState> state)
    : Grain, IStateProbeGrain
{
    private readonly Guid _activationTag = Guid.NewGuid();

    public async Task SetAsync(int value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public Task<Guid> ActivationTagAsync() => Task.FromResult(_activationTag);
}

internal sealed class ReminderProbeGrain(
    [PersistentState("reminderProbe", MemorySyncSiloBuilderExtensions.StorageName)] IPersistentState<ProbeState> ticks)
    : Grain, IReminderProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    public async Task StartAsync(TimeSpan period) => await this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<int> TicksAsync() => Task.FromResult(ticks.State.Value);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Value++;
        await ticks.WriteStateAsync();
    }
}
