using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Reflection;

namespace MemorySync.Silo.Security;

/// <summary>
/// Reads the id a client announces in the first frame of a gateway connection (Orleans' <c>ConnectionPreamble</c>:
/// a 4-byte little-endian length, then the preamble in Orleans' serialization, whose <c>NodeIdentity</c> is the
/// client's <c>GrainId</c>) without consuming it, so that Orleans reads the same frame after us. The preamble type is
/// internal to Orleans.Core: it is found by name once, at start-up, so an Orleans upgrade that renames it stops the
/// silo at start instead of letting clients in unchecked.
/// </summary>
internal sealed class ConnectionPreambleReader
{
    // Orleans' own bound (ConnectionPreambleHelper.MaxPreambleLength).
    private const int MaxPreambleLength = 1024;
    private const string PreambleTypeName = "Orleans.Runtime.Messaging.ConnectionPreamble, Orleans.Core";

    private readonly Func<ReadOnlySequence<byte>, GrainId> _nodeIdentity;

    public ConnectionPreambleReader(IServiceProvider services)
    {
        var preambleType = Type.GetType(PreambleTypeName, throwOnError: true)!;
        var serializer = services.GetRequiredService(typeof(Orleans.Serialization.Serializer<>).MakeGenericType(preambleType));
        var deserialize = serializer.GetType().GetMethod("Deserialize", [typeof(ReadOnlySequence<byte>)])
            ?? throw new MissingMethodException(serializer.GetType().FullName, "Deserialize(ReadOnlySequence<byte>)");
        var nodeIdentity = preambleType.GetProperty("NodeIdentity", BindingFlags.Public | BindingFlags.Instance)
            ?? throw new MissingMemberException(preambleType.FullName, "NodeIdentity");
        _nodeIdentity = payload => (GrainId)nodeIdentity.GetValue(deserialize.Invoke(serializer, [payload]))!;
    }

    /// <summary>The announced id, or null when the peer closed, sent no valid preamble, or took longer than the token allows.</summary>
    public async Task<GrainId?> PeekNodeIdentityAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length >= sizeof(int))
            {
                var length = ReadLength(buffer);
                if (length is < 1 or > MaxPreambleLength)
                {
                    input.AdvanceTo(buffer.Start);
                    return null;
                }

                if (buffer.Length >= sizeof(int) + length)
                {
                    try
                    {
                        return _nodeIdentity(buffer.Slice(sizeof(int), length));
                    }
                    catch (TargetInvocationException)
                    {
                        return null;
                    }
                    finally
                    {
                        // Nothing consumed: Orleans reads the preamble itself next.
                        input.AdvanceTo(buffer.Start);
                    }
                }
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                return null;
            }

            // Everything examined, nothing consumed: the next read waits for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static int ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        buffer.Slice(0, sizeof(int)).CopyTo(length);
        return BinaryPrimitives.ReadInt32LittleEndian(length);
    }
}
