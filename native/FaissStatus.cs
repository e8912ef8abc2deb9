namespace MemorySync.Faiss;

/// <summary>The shim's status codes (MsStatus in native/memsync_faiss.h).</summary>
internal enum FaissStatus
{
    Ok = 0,
    InvalidArgument = 1,
    FaissError = 2,
    OutOfMemory = 3,
    UnknownError = 4,
}
