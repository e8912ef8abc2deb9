using System.Text;

namespace MemorySync.Index;

/// <summary>The binary form of a shard's label map in its snapshot: per label, the memory it indexes and the version.</summary>
internal static class LabelMapCodec
{
    private const int FormatVersion = 1;

    public static byte[] Write(IReadOnlyDictionary<long, IndexedLabel> labels)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(labels.Count);
            foreach (var (label, indexed) in labels)
            {
                writer.Write(label);
                writer.Write(indexed.Version);
                writer.Write(indexed.MemoryId);
                writer.Write(indexed.AgentId);
                writer.Write(indexed.MemoryType);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The entries of a label map; their sweep range and fingerprint are computed again, never trusted from disk.</summary>
    public static IEnumerable<(long Label, long Version, string MemoryId, string AgentId, string MemoryType)> Read(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        var format = reader.ReadInt32();
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"label map format {format} is not {FormatVersion}");
        }

        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            yield return (reader.ReadInt64(), reader.ReadInt64(), reader.ReadString(), reader.ReadString(), reader.ReadString());
        }
    }
}
