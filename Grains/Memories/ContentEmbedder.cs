using MemorySync.Embeddings;
using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>
/// A write's content as the conflict strategies weigh it and a version stores it, with its vector: the caller's, or one
/// embedded here (with the model's id). Embedding is CPU-bound work: it runs off the grain's scheduler, and the grain's
/// call goes on there when it is done.
/// </summary>
internal sealed class ContentEmbedder(IEmbeddingGenerator embedder)
{
    /// <summary>A caller's write, stamped with its own time or, without one, its arrival on the silo's clock.</summary>
    public async Task<MemoryContent> IncomingAsync(ValidatedWrite valid, long? timestamp)
    {
        var embedding = valid.Embedding;
        var model = valid.EmbeddingModel;
        if (embedding is null)
        {
            embedding = await EmbedAsync(valid.Content);
            model = embedder.ModelId;
        }

        var arrival = HybridLogicalClock.Shared.Next();
        return new MemoryContent(valid.AgentId, valid.Content, valid.MemoryType, valid.Importance, valid.CanonicalMetadata,
            embedding, model, timestamp ?? arrival);
    }

    /// <summary>
    /// An operator's new text for a memory in conflict, validated as a write of the memory's other fields; it is stamped
    /// when it is written.
    /// </summary>
    public async Task<MemoryContent> OperatorEditAsync(string memoryId, StoredMemory stored, string? content, MemoryValidator validator)
    {
        var write = new MemoryWrite(memoryId, content ?? string.Empty, stored.Record.MemoryType, stored.Record.Importance,
            stored.Record.MetadataJson, AgentId: stored.Record.AgentId, WriterId: MemoryValidator.OperatorWriter);
        var valid = validator.Validate(memoryId, write);
        var embedding = await EmbedAsync(valid.Content);
        return new MemoryContent(valid.AgentId, valid.Content, valid.MemoryType, valid.Importance, valid.CanonicalMetadata, embedding,
            embedder.ModelId, 0);
    }

    private Task<float[]> EmbedAsync(string content) => Task.Run(() => embedder.Embed([content])[0]);
}
