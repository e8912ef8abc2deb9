using System.Text;
using System.Text.Json;
using MemorySync.Configuration;
using MemorySync.Model;

namespace MemorySync.Memories;

/// <summary>Every rule a write must pass before anything is stored; each failure names its field.</summary>
internal sealed class MemoryValidator(MemoryOptions options, int dimension)
{
    public const string AnonymousWriter = "anonymous";

    /// <summary>The writer id of versions an operator made by resolving a conflict.</summary>
    public const string OperatorWriter = "operator";

    public ValidatedWrite Validate(string grainKey, MemoryWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        RequireId("memory_id", write.MemoryId, options.MaxIdLength);
        if (!string.Equals(write.MemoryId, grainKey, StringComparison.Ordinal))
        {
            throw new MemoryValidationException("memory_id", $"'{write.MemoryId}' was sent to the grain of '{grainKey}'");
        }

        var agentId = string.IsNullOrEmpty(write.AgentId) ? MemoryWrite.DefaultAgent : write.AgentId;
        RequireId("agent_id", agentId, options.MaxAgentIdLength);
        RequireContent(write.Content);
        if (!MemoryTypes.All.Contains(write.MemoryType, StringComparer.Ordinal))
        {
            throw new MemoryValidationException("memory_type", $"'{write.MemoryType}' is not one of {string.Join(", ", MemoryTypes.All)}");
        }

        if (!double.IsFinite(write.Importance) || write.Importance is < 0 or > 1)
        {
            throw new MemoryValidationException("importance", $"{write.Importance} is not a number in [0, 1]");
        }

        var metadata = CanonicalMetadata(write.MetadataJson);
        if (write.Embedding is not null)
        {
            EmbeddingVector.Require("embedding", write.Embedding, dimension);
        }

        var writer = string.IsNullOrEmpty(write.WriterId) ? AnonymousWriter : write.WriterId;
        RequireId("writer_id", writer, options.MaxAgentIdLength);
        RequireSyncFields(write);
        return new ValidatedWrite(write.MemoryId, agentId, write.Content, write.MemoryType, write.Importance, metadata,
            write.Embedding, write.Embedding is null ? null : write.EmbeddingModel ?? EmbeddingProvenance.Caller, writer);
    }

    // An enum on the wire may carry any number: one that names no strategy or mode would otherwise fall through to a
    // default nobody chose.
    private static void RequireSyncFields(MemoryWrite write)
    {
        if (write.Strategy is { } strategy && !Enum.IsDefined(strategy))
        {
            throw new MemoryValidationException("strategy", $"{(int)strategy} is not one of {string.Join(", ", Enum.GetNames<ConflictStrategy>())}");
        }

        if (!Enum.IsDefined(write.Mode))
        {
            throw new MemoryValidationException("mode", $"{(int)write.Mode} is not one of {string.Join(", ", Enum.GetNames<SyncMode>())}");
        }

        if (write.BaseVersion is < 0)
        {
            throw new MemoryValidationException("base_version", $"{write.BaseVersion} is negative; versions start at 1");
        }
    }

    /// <summary>Checks a memory id (a grain key too) by the rules every write's id meets.</summary>
    public static void RequireMemoryId(string? memoryId, int maxLength) => RequireId("memory_id", memoryId, maxLength);

    private static void RequireId(string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new MemoryValidationException(field, "must not be empty");
        }

        if (!MemoryIds.IsValid(value, maxLength))
        {
            throw new MemoryValidationException(field, $"must be 1-{maxLength} characters from {MemoryIds.Charset}");
        }
    }

    private void RequireContent(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new MemoryValidationException("content", "must not be empty");
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(content);
        }
        catch (EncoderFallbackException)
        {
            throw new MemoryValidationException("content", "is not valid Unicode text (it holds an unpaired surrogate)");
        }

        if (bytes > options.MaxContentBytes)
        {
            throw new MemoryValidationException("content", $"is {bytes} bytes; the limit is {options.MaxContentBytes}");
        }

        if (content.Contains('\0', StringComparison.Ordinal))
        {
            throw new MemoryValidationException("content", "must not contain NUL characters");
        }
    }

    private string CanonicalMetadata(string? metadataJson)
    {
        if (string.IsNullOrWhiteSpace(metadataJson))
        {
            return "{}";
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(metadataJson);
        }
        catch (EncoderFallbackException)
        {
            throw new MemoryValidationException("metadata", "is not valid Unicode text");
        }

        if (bytes > options.MaxMetadataBytes)
        {
            throw new MemoryValidationException("metadata", $"is {bytes} bytes; the limit is {options.MaxMetadataBytes}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(metadataJson, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException exception)
        {
            throw new MemoryValidationException("metadata", $"is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MemoryValidationException("metadata", $"must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            if (metadataJson.Contains("\\u0000", StringComparison.Ordinal))
            {
                // PostgreSQL's jsonb cannot store NUL characters in strings.
                throw new MemoryValidationException("metadata", "must not contain NUL characters");
            }

            try
            {
                return CanonicalJson.Write(document.RootElement);
            }
            catch (FormatException exception)
            {
                throw new MemoryValidationException("metadata", exception.Message);
            }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
