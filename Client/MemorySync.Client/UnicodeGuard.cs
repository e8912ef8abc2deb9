using System.Text;

namespace MemorySync.Client;

/// <summary>
/// Refuses text with unpaired surrogates before it is sent: Orleans carries strings as UTF-8 and would silently turn
/// such characters into U+FFFD, so the silo would store something the caller never wrote.
/// </summary>
internal static class UnicodeGuard
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Require(string field, string? value)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new MemoryValidationException(field, "is not valid Unicode text (it holds an unpaired surrogate)");
        }
    }

    public static MemoryWrite Check(MemoryWrite memory)
    {
        Require("memory_id", memory.MemoryId);
        Require("agent_id", memory.AgentId);
        Require("content", memory.Content);
        Require("metadata", memory.MetadataJson);
        return memory;
    }
}
