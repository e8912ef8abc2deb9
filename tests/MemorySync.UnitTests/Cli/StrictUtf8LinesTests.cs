extern alias cli;

using System.Text;
using cli::MemorySync.Cli;

namespace MemorySync.UnitTests.Cli;

public sealed class StrictUtf8LinesTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task BadBytes_MakeTheirLineAnError_NamingByteAndOffset_AndTheOtherLinesReadAsWritten()
    {
        byte[] bytes = [.. "first é\n"u8, .. "se"u8, 0xC3, 0x28, .. "cond\r\n"u8, .. "third\n"u8, 0xED, 0xA0, 0x80, .. "\nlast, no newline"u8];

        var lines = await ReadAsync(bytes);

        Assert.Equal(
        [
            new FileLine(1, "first é", null),
            new FileLine(2, null, "not valid UTF-8 (byte 0xC3 at offset 2)"),
            new FileLine(3, "third", null),
            new FileLine(4, null, "not valid UTF-8 (byte 0xED at offset 0)"),
            new FileLine(5, "last, no newline", null),
        ], lines);
    }

    [Fact]
    public async Task LinesLongerThanTheReadBuffer_AndASequenceSplitAcrossReads_DecodeWhole()
    {
        // 100 KB lines: each crosses the reader's 64 KB chunks, and the 'é' at the end of the first is split by one.
        var longLine = new string('a', 64 * 1024 - 1) + "é" + new string('b', 40_000);
        var lines = await ReadAsync(Encoding.UTF8.GetBytes($"{longLine}\n{longLine}\n"));

        Assert.Equal([new FileLine(1, longLine, null), new FileLine(2, longLine, null)], lines);
    }

    [Fact]
    public async Task ALeadingByteOrderMark_IsNotPartOfTheFirstLine()
    {
        var lines = await ReadAsync([0xEF, 0xBB, 0xBF, .. "{\"memory_id\":\"a\"}\n"u8]);

        Assert.Equal("{\"memory_id\":\"a\"}", Assert.Single(lines).Text);
    }

    private async Task<List<FileLine>> ReadAsync(byte[] bytes)
    {
        await File.WriteAllBytesAsync(_file, bytes);
        var lines = new List<FileLine>();
        await foreach (var line in StrictUtf8Lines.ReadAsync(_file, CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }
}
