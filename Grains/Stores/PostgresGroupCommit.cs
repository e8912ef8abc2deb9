using System.Threading.Channels;
using MemorySync.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemorySync.Stores;

/// <summary>
/// Group commit: the single-statement writes of many grains, gathered while earlier groups are in flight, share one
/// transaction, one round trip and one WAL flush. A statement sent alone when nothing waits is not delayed: a group is
/// simply whatever queued up meanwhile, so sequential writers see the latency of their own statement.
/// </summary>
/// <remarks>
/// Each statement's outcome is its own: a caller's task completes only after the transaction holding its statement
/// committed. A statement that fails inside PostgreSQL (an error with a SQL state) aborts its group's transaction, so
/// the group is retried one statement per transaction and only the failing one fails. A connection that turns out dead
/// (a restarted server) is dropped with its pool and the group runs again on a fresh one (PostgresConnectionRecovery),
/// so every statement must be safe to run twice (the memory commit is version-guarded, the bookkeeping sets what it
/// sets); when that fails too, the whole group fails, its outcome unknown, as every caller already expects.
/// Every statement must return a result set (a SELECT, or RETURNING), so results line up with statements.
/// A statement may be queued as not durable (bookkeeping that is rebuilt if lost): a group made only of such
/// statements commits without waiting for its WAL flush; a group with any durable statement waits as usual.
/// </remarks>
internal sealed class PostgresGroupCommit : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresConnectionRecovery _recovery;
    private readonly int _maxGroup;
    private readonly int _maxQueued;
    private readonly TimeSpan _maxWait;
    private readonly Channel<QueuedStatement> _queue;
    private readonly Task[] _committers;

    public PostgresGroupCommit(NpgsqlDataSource dataSource, IOptions<PostgresOptions> options, PostgresConnectionRecovery recovery)
    {
        _dataSource = dataSource;
        _recovery = recovery;
        _maxGroup = options.Value.GroupCommitMaxStatements;
        _maxQueued = options.Value.GroupCommitMaxQueued;
        _maxWait = TimeSpan.FromSeconds(options.Value.CommandTimeoutSeconds);
        // Bounded: when PostgreSQL falls behind, writers wait here (backpressure) instead of the queue growing with them.
        _queue = Channel.CreateBounded<QueuedStatement>(new BoundedChannelOptions(_maxQueued)
        {
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _committers = Enumerable.Range(0, options.Value.GroupCommitConnections).Select(_ => Task.Run(CommitLoopAsync)).ToArray();
    }

    /// <summary>Runs the statement in the next group and returns the first column of its first row (null if none).</summary>
    /// <param name="durable">False for a statement whose effect may be lost in a crash right after its commit.</param>
    /// <exception cref="TimeoutException">The queue stayed full (Postgres:GroupCommitMaxQueued) for Postgres:CommandTimeoutSeconds; nothing ran.</exception>
    public Task<object?> ExecuteScalarAsync(NpgsqlBatchCommand statement, bool durable = true)
    {
        var queued = new QueuedStatement(statement, durable);
        return _queue.Writer.TryWrite(queued) ? queued.Result.Task : EnqueueWhenRoomAsync(queued);
    }

    private async Task<object?> EnqueueWhenRoomAsync(QueuedStatement queued)
    {
        using var timeout = new CancellationTokenSource(_maxWait);
        try
        {
            await _queue.Writer.WriteAsync(queued, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A TimeoutException, like a command's own: every caller already treats it as retryable.
            throw new TimeoutException(
                $"the group-commit queue stayed full ({_maxQueued} writes, Postgres:GroupCommitMaxQueued) for {_maxWait.TotalSeconds:0} s " +
                "(Postgres:CommandTimeoutSeconds); the write was not sent, retry it");
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(PostgresGroupCommit));
        }

        return await queued.Result.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_committers).ConfigureAwait(false);
    }

    private async Task CommitLoopAsync()
    {
        var group = new List<QueuedStatement>(_maxGroup);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < _maxGroup && _queue.Reader.TryRead(out var queued))
            {
                group.Add(queued);
            }

            if (group.Count == 0)
            {
                continue;
            }

            await CommitGroupAsync(group).ConfigureAwait(false);
            group.Clear();
        }
    }

    private async Task CommitGroupAsync(List<QueuedStatement> group)
    {
        try
        {
            var results = await RunWithRecoveryAsync(group, freshStatements: false).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Result.TrySetResult(results[i]);
            }
        }
        catch (PostgresException exception) when (group.Count > 1 && PostgresConnectionFailures.Classify(exception) == PostgresConnectionFailure.None)
        {
            // One statement was refused and took the transaction with it: give each its own, so only that one fails.
            foreach (var queued in group)
            {
                await CommitAloneAsync(queued).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            group.ForEach(queued => queued.Result.TrySetException(exception));
        }
    }

    private async Task CommitAloneAsync(QueuedStatement queued)
    {
        try
        {
            var results = await RunWithRecoveryAsync([queued], freshStatements: true).ConfigureAwait(false);
            queued.Result.TrySetResult(results[0]);
        }
        catch (Exception exception)
        {
            queued.Result.TrySetException(exception);
        }
    }

    // A run after a failed one needs fresh copies of the statements (see below).
    private Task<object?[]> RunWithRecoveryAsync(IReadOnlyList<QueuedStatement> group, bool freshStatements) =>
        _recovery.RunAsync(_ =>
        {
            var run = RunInOneTransactionAsync(group, freshStatements);
            freshStatements = true;
            return run;
        }, PostgresRetry.Repeatable);

    // One round trip: a batch sent without an explicit transaction runs in one implicit transaction (a single Sync
    // ends it), so its statements commit together, or none does if one fails, without a BEGIN and a COMMIT of its own.
    // A statement runs as it was queued the first time; a retry after a failed batch needs a fresh copy of it
    // (freshStatements), since Npgsql unbound the parameters of the failed one.
    private async Task<object?[]> RunInOneTransactionAsync(IReadOnlyList<QueuedStatement> group, bool freshStatements)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        if (group.All(queued => !queued.Durable))
        {
            // set_config(..., is_local: true) is SET LOCAL that returns a row, so every statement has a result set.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        }

        foreach (var queued in group)
        {
            batch.BatchCommands.Add(freshStatements ? queued.CopyOfStatement() : queued.Statement);
        }

        // One value per statement: the first column of its first row, null when it returned no row. PostgreSQL commits
        // at the batch's end, and disposing the reader reads that outcome: no caller hears of its statement before.
        var values = new List<object?>(batch.BatchCommands.Count);
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            do
            {
                values.Add(await reader.ReadAsync().ConfigureAwait(false) && !reader.IsDBNull(0) ? reader.GetValue(0) : null);
            }
            while (await reader.NextResultAsync().ConfigureAwait(false));
        }

        if (values.Count != batch.BatchCommands.Count)
        {
            throw new InvalidOperationException("a statement of a group commit returned no result set");
        }

        return values[^group.Count..].ToArray();
    }

    private sealed class QueuedStatement(NpgsqlBatchCommand statement, bool durable)
    {
        public NpgsqlBatchCommand Statement { get; } = statement;

        /// <summary>A fresh copy, for running the statement again alone after its batch failed (which unbound its parameters).</summary>
        public NpgsqlBatchCommand CopyOfStatement()
        {
            var copy = new NpgsqlBatchCommand(Statement.CommandText);
            foreach (NpgsqlParameter parameter in Statement.Parameters)
            {
                copy.Parameters.Add(parameter.Clone());
            }

            return copy;
        }

        public bool Durable { get; } = durable;

        // Callers continue on their own schedulers, never inline on a committer's loop.
        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
