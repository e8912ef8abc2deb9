namespace MemorySync.Cli;

/// <summary>A command-line value the CLI cannot use (a malformed number list, an unreadable file).</summary>
internal sealed class CliInputException(string message) : Exception(message);
