namespace MemorySync;

/// <summary>A write was refused before anything was stored; <see cref="Field"/> names what to fix.</summary>
[GenerateSerializer, Alias("MemorySync.MemoryValidationException")]
public sealed class MemoryValidationException : Exception
{
    public MemoryValidationException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
    }

    public MemoryValidationException()
    {
        Field = string.Empty;
    }

    public MemoryValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    [Id(0)]
    public string Field { get; private set; }
}
