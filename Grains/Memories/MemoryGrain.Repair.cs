using MemorySync.Model;
using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>
/// Consistency repairs. They run inside the memory's grain, so a repair and a live write of the same memory never
/// interleave. A repair always installs PostgreSQL's committed version: only PostgreSQL versions were ever
/// acknowledged, so a copy that differs from it (missing, behind, ahead, edited, orphaned) holds nothing a caller was
/// promised, and the conflict strategies (which arbitrate between acknowledged writes) have nothing to decide.
/// </summary>
internal sealed partial class MemoryGrain
{
    // The longest embedding model name a re-embedding may record (a model id such as a Hugging Face repository path).
    private const int MaxEmbeddingModelLength = 256;

    public async Task<bool> RepairAsync(IReadOnlyList<string> stores)
    {
        if (stores is null || stores.Count > 2 || stores.Any(store => store is not (StoreNames.Redis or StoreNames.Faiss)))
        {
            throw new MemoryValidationException("stores", $"must list only {StoreNames.Redis} and {StoreNames.Faiss}, each at most once");
        }

        // The truth as of now, not as this activation last saw it.
        _stored = await LoadClaimedAsync();
        _reloadBeforeNextWrite = false;
        var (repaired, error) = await Secondaries.RepairAsync(MemoryId, _stored, stores);
        await RecordRepairAsync(repaired, error);
        return error is null;
    }

    public async Task<bool> AdoptEmbeddingAsync(long version, float[] embedding, string embeddingModel)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        EmbeddingVector.Require("embedding", embedding, faissOptions.Value.Dimension);
        if (string.IsNullOrWhiteSpace(embeddingModel) || embeddingModel.Length > MaxEmbeddingModelLength)
        {
            throw new MemoryValidationException("embedding_model", $"must be 1-{MaxEmbeddingModelLength} characters");
        }

        await ReloadIfUncertainAsync();
        if (_stored is not { Record.Deleted: false } stored || stored.Record.Version != version || !await episodic.ReplaceEmbeddingAsync(MemoryId, version, embedding, embeddingModel))
        {
            return false;
        }

        _stored = stored with
        {
            Embedding = embedding,
            Record = stored.Record with { EmbeddingModel = embeddingModel, EmbeddingDimension = embedding.Length },
        };
        return true;
    }

    private async Task RecordRepairAsync(List<string> repaired, string? error)
    {
        var stored = _stored;
        var version = stored?.Record.Version ?? 0;
        try
        {
            await episodic.RecordRepairAsync(MemoryId, version, repaired, error);
            if (stored is not null && repaired.Count > 0)
            {
                var versions = MarkHeld(stored, repaired);
                await episodic.CompleteAsync(new SyncCompletion(MemoryId, version, null, versions, repaired, 0, error));
            }
        }
        catch (StoreUnavailableException exception)
        {
            // The stores are repaired; only the record of it is missing, and the next sweep finds nothing to redo.
            MemoryLog.RepairNotRecorded(logger, exception, MemoryId);
        }
    }
}
