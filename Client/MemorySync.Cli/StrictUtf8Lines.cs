using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace MemorySync.Cli;

/// <summary>One line of a file: its text, or why it has none (bytes that are not UTF-8).</summary>
internal sealed record FileLine(int Number, string? Text, string? Error);

/// <summary>
/// Reads a file's lines as strict UTF-8. A reader that replaced bad bytes with U+FFFD (as File.ReadLines does) would
/// store a different text than the file holds without a word; here such a line comes back as an error naming the
/// line, the byte and its offset, and the lines around it are read as usual.
/// </summary>
internal static class StrictUtf8Lines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>The bytes as text, or what is wrong with them ("not valid UTF-8 (byte 0xFF at offset 3)").</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out string problem)
    {
        try
        {
            (text, problem) = (Strict.GetString(bytes), string.Empty);
            return true;
        }
        catch (DecoderFallbackException exception)
        {
            var bad = string.Join(' ', (exception.BytesUnknown ?? []).Select(value => $"0x{value:X2}"));
            (text, problem) = (string.Empty, $"not valid UTF-8 (byte {bad} at offset {exception.Index})");
            return false;
        }
    }

    public static async IAsyncEnumerable<FileLine> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var buffer = new byte[64 * 1024];
        var line = new ArrayBufferWriter<byte>();
        var number = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var rest = buffer.AsMemory(0, read);
            while (!rest.IsEmpty)
            {
                var newline = rest.Span.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    line.Write(rest.Span);
                    break;
                }

                line.Write(rest.Span[..newline]);
                yield return Decode(++number, line.WrittenMemory);
                line.ResetWrittenCount();
                rest = rest[(newline + 1)..];
            }
        }

        if (line.WrittenCount > 0)
        {
            yield return Decode(++number, line.WrittenMemory);
        }
    }

    private static FileLine Decode(int number, ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (number == 1 && span.StartsWith(ByteOrderMark))
        {
            span = span[ByteOrderMark.Length..];
        }

        if (span.EndsWith((byte)'\r'))
        {
            span = span[..^1];
        }

        return TryDecode(span, out var text, out var problem) ? new FileLine(number, text, null) : new FileLine(number, null, problem);
    }
}
