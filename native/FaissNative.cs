using System.Runtime.InteropServices;

namespace MemorySync.Faiss;

/// <summary>The C ABI of native/memsync_faiss.h. Only <see cref="FaissIndex"/> calls it.</summary>
internal static unsafe partial class FaissNative
{
    private const string Library = "memsync_faiss";

    /// <summary>Room for the shim's error message; longer messages are truncated by the shim.</summary>
    internal const int ErrorCapacity = 1024;

    [LibraryImport(Library, EntryPoint = "ms_index_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial FaissStatus Create(string factory, int metric, int dimension, out nint index, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_free")]
    internal static partial void Free(nint index);

    [LibraryImport(Library, EntryPoint = "ms_index_dimension")]
    internal static partial FaissStatus Dimension(FaissIndexHandle index, out int dimension, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_count")]
    internal static partial FaissStatus Count(FaissIndexHandle index, out long count, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_is_trained")]
    internal static partial FaissStatus IsTrained(FaissIndexHandle index, out int trained, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_train")]
    internal static partial FaissStatus Train(FaissIndexHandle index, long count, float* vectors, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_add")]
    internal static partial FaissStatus Add(FaissIndexHandle index, long count, float* vectors, long* ids, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_remove")]
    internal static partial FaissStatus Remove(FaissIndexHandle index, long count, long* ids, out long removed, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_reconstruct")]
    internal static partial FaissStatus Reconstruct(FaissIndexHandle index, long id, float* vector, out int found, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_search")]
    internal static partial FaissStatus Search(FaissIndexHandle index, long count, float* queries, long k, float* distances, long* labels, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_serialize")]
    internal static partial FaissStatus Serialize(FaissIndexHandle index, out nint buffer, out nuint length, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_buffer_free")]
    internal static partial void FreeBuffer(nint buffer);

    [LibraryImport(Library, EntryPoint = "ms_index_deserialize")]
    internal static partial FaissStatus Deserialize(byte* buffer, nuint length, out nint index, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_index_set_parameter", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial FaissStatus SetParameter(FaissIndexHandle index, string name, double value, byte* error, nuint errorLength);

    [LibraryImport(Library, EntryPoint = "ms_set_thread_count")]
    internal static partial void SetThreadCount(int threads);
}
