using MemorySync.Model;
using MemorySync.Stores;

namespace MemorySync.Consistency;

/// <summary>Checks a repair request as a whole before anything is repaired: valid ids, and only stores a repair can fix.</summary>
internal static class RepairRequest
{
    private static readonly string[] RepairableStores = [StoreNames.Redis, StoreNames.Faiss];

    public static void Validate(IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies)
    {
        foreach (var (memoryId, stores) in inconsistencies)
        {
            // 512: the most any configuration allows, so a valid id of any deployment passes.
            if (!MemoryIds.IsValid(memoryId, 512))
            {
                throw new MemoryValidationException("memory_id", $"'{memoryId}' is not a memory id (1-512 characters of {MemoryIds.Charset})");
            }

            if (stores is null || stores.Count == 0)
            {
                throw new MemoryValidationException("stores", $"memory {memoryId} lists no store to repair");
            }

            var unknown = stores.FirstOrDefault(store => !RepairableStores.Contains(store));
            if (unknown is not null)
            {
                throw new MemoryValidationException("stores",
                    $"\"{unknown}\" (memory {memoryId}) is not a store a repair can fix; use redis or faiss (PostgreSQL is the source of truth)");
            }
        }
    }
}
