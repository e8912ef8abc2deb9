using System.Net.Sockets;
using MemorySync.Stores;
using Npgsql;

namespace MemorySync.UnitTests.Stores;

/// <summary>
/// Which failures count as a dead connection, and which of those surely never reached the server: what decides
/// whether a PostgreSQL command is run once more on a fresh connection.
/// </summary>
public sealed class PostgresConnectionFailuresTests
{
    [Fact]
    public void ARefusedConnection_IsRefused()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5440", new SocketException((int)SocketError.ConnectionRefused));

        Assert.Equal(PostgresConnectionFailure.Refused, PostgresConnectionFailures.Classify(refused));
    }

    [Fact]
    public void AServerStillStartingUp_IsRefused()
    {
        Assert.Equal(PostgresConnectionFailure.Refused, PostgresConnectionFailures.Classify(Postgres(PostgresErrorCodes.CannotConnectNow)));
    }

    [Fact]
    public void AFailedSend_WasNotSent()
    {
        var send = new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe"));

        Assert.Equal(PostgresConnectionFailure.NotSent, PostgresConnectionFailures.Classify(send));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    public void ATerminatedBackend_MayHaveRunTheCommand(string sqlState)
    {
        Assert.Equal(PostgresConnectionFailure.OutcomeUnknown, PostgresConnectionFailures.Classify(Postgres(sqlState)));
    }

    [Fact]
    public void AConnectionThatEndedWhileReadingTheReply_MayHaveRunTheCommand()
    {
        var read = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        Assert.Equal(PostgresConnectionFailure.OutcomeUnknown, PostgresConnectionFailures.Classify(read));
    }

    [Fact]
    public void ADeadConnectionWrappedByACaller_IsStillFound()
    {
        var wrapped = new InvalidOperationException("outer", new NpgsqlException("Exception while reading from stream", new IOException("reset")));

        Assert.Equal(PostgresConnectionFailure.OutcomeUnknown, PostgresConnectionFailures.Classify(wrapped));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    public void AStatementPostgreSqlRefused_IsNotTheConnections(string sqlState)
    {
        Assert.Equal(PostgresConnectionFailure.None, PostgresConnectionFailures.Classify(Postgres(sqlState)));
    }

    [Fact]
    public void ATimeout_IsNotRetried_SoAFrozenServerIsNotWaitedForTwice()
    {
        var timeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

        Assert.Equal(PostgresConnectionFailure.None, PostgresConnectionFailures.Classify(timeout));
    }

    [Fact]
    public void AnExceptionOfAnotherKind_IsNotTheConnections()
    {
        Assert.Equal(PostgresConnectionFailure.None, PostgresConnectionFailures.Classify(new InvalidOperationException("no")));
    }

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);
}
