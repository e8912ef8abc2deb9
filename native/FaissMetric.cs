namespace MemorySync.Faiss;

/// <summary>How vectors are compared. Inner product on normalized vectors is cosine similarity.</summary>
public enum FaissMetric
{
    /// <summary>Larger is closer.</summary>
    InnerProduct = 0,

    /// <summary>Squared Euclidean distance: smaller is closer.</summary>
    L2 = 1,
}
