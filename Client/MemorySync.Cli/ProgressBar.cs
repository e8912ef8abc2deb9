using System.Diagnostics;

namespace MemorySync.Cli;

/// <summary>
/// Progress of long work on stderr (stdout stays clean for --json): a redrawn bar on a terminal, a line per tenth
/// of the work when stderr is a file or a pipe.
/// </summary>
internal sealed class ProgressBar(TextWriter error, int total, string unit)
{
    private const int Width = 30;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _lastTenth = -1;

    public void Report(int done)
    {
        var fraction = total == 0 ? 1 : (double)done / total;
        var rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var filled = (int)(fraction * Width);
        var text = $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {unit} ({rate:F0}/s)";
        if (_interactive)
        {
            error.Write($"\r{text}");
            if (done >= total)
            {
                error.WriteLine();
            }

            return;
        }

        var tenth = (int)(fraction * 10);
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            error.WriteLine(text);
        }
    }
}
