using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>
/// What a write must pass against the memory's current version before any work is done for it: the caller's agents, the
/// memory's fixed agent, the version the caller expects, and the writer's clock. The grain asks on the memory's own turn,
/// against the version it holds, so no other write can change the answer before this one is stored.
/// </summary>
internal static class WriteAdmission
{
    /// <summary>The write, validated and admitted; any check that refuses it throws.</summary>
    public static ValidatedWrite Admit(string memoryId, StoredMemory? stored, MemoryWrite write, MemoryValidator validator, ClockFence fence)
    {
        var valid = validator.Validate(memoryId, write);
        RequireOwnedBy(memoryId, stored, write.CallerAgents, valid.AgentId);
        RequireSameAgent(memoryId, stored, valid.AgentId);
        var currentVersion = stored is { Record.Deleted: false } live ? live.Record.Version : 0;
        if (write.ExpectedVersion is { } expected && expected != currentVersion)
        {
            throw new MemoryConflictException(memoryId, expected, currentVersion);
        }

        if (write.Timestamp is { } stamped)
        {
            // A clock far ahead would win every later conflict: refuse it instead of letting it rule.
            fence.Admit(stamped);
        }

        return valid;
    }

    // An API key's boundary. The latest version decides, a tombstone's too: a deleted memory's history stays its agent's.
    public static void RequireOwnedBy(string memoryId, StoredMemory? stored, IReadOnlyList<string>? callerAgents, string? newAgent)
    {
        if (callerAgents is null)
        {
            return;
        }

        if (newAgent is not null && !callerAgents.Contains(newAgent, StringComparer.Ordinal))
        {
            throw new MemoryValidationException("agent_id", $"'{newAgent}' is not an agent the caller may write for");
        }

        if (stored is not null && !callerAgents.Contains(stored.Record.AgentId, StringComparer.Ordinal))
        {
            throw new ForeignMemoryException(memoryId);
        }
    }

    // A memory's agent is fixed once it exists: an upsert naming another agent would otherwise move the memory (and
    // hand it to whoever wrote). Checked against its live version; moving a memory is a delete and a new write, which
    // its history then shows.
    private static void RequireSameAgent(string memoryId, StoredMemory? stored, string agentId)
    {
        if (stored is { Record.Deleted: false } live && !string.Equals(live.Record.AgentId, agentId, StringComparison.Ordinal))
        {
            throw new MemoryValidationException("agent_id",
                $"memory {memoryId} belongs to agent '{live.Record.AgentId}', not '{agentId}'; an agent_id is fixed once a memory exists (delete it and write it again to move it)");
        }
    }
}
