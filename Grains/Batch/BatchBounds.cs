using System.Text;
using MemorySync.Configuration;

namespace MemorySync.Batch;

/// <summary>
/// The size a batch sync may have, checked before anything is embedded or stored: a batch over either bound is refused
/// whole, naming the setting, so one call cannot hold a silo's memory and CPU for the length of an arbitrary batch.
/// </summary>
internal static class BatchBounds
{
    public static void Require(IReadOnlyList<MemoryWrite> memories, MemoryOptions options)
    {
        if (memories.Count > options.MaxBatchItems)
        {
            throw new MemoryValidationException("memories",
                $"{memories.Count} items; at most {options.MaxBatchItems} (Memory:MaxBatchItems) in one batch: split it");
        }

        long bytes = 0;
        foreach (var write in memories)
        {
            if (write is null)
            {
                throw new MemoryValidationException("memories", "an item is null");
            }

            // Length * 3 bounds a string's UTF-8 size without encoding it; the exact count is taken only when that bound
            // could matter, and an unpaired surrogate is left to the item's own validation.
            bytes += Utf8Bound(write.Content) + Utf8Bound(write.MetadataJson) + 4L * (write.Embedding?.Length ?? 0);
        }

        if (bytes > options.MaxBatchBytes && ExactBytes(memories) is var exact && exact > options.MaxBatchBytes)
        {
            throw new MemoryValidationException("memories",
                $"{exact} bytes of content, metadata and embeddings; at most {options.MaxBatchBytes} (Memory:MaxBatchBytes) in one batch: split it");
        }
    }

    private static long Utf8Bound(string? text) => 3L * (text?.Length ?? 0);

    private static long ExactBytes(IReadOnlyList<MemoryWrite> memories) =>
        memories.Sum(write => Utf8Length(write.Content) + Utf8Length(write.MetadataJson) + 4L * (write.Embedding?.Length ?? 0));

    // Encoding.UTF8 counts an unpaired surrogate as the 3 bytes of U+FFFD instead of throwing.
    private static long Utf8Length(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);
}
