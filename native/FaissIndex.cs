using System.Runtime.InteropServices;
using System.Text;

namespace MemorySync.Faiss;

/// <summary>
/// A FAISS index whose vectors carry caller-chosen 64-bit ids: an IVF index keeps them itself (with a hashtable direct
/// map, so removal and reconstruction work), any other factory string is wrapped in an <c>IndexIDMap2</c>.
/// </summary>
/// <remarks>
/// Thread-safety: searches, <see cref="Serialize"/> and the read-only properties may run concurrently with each
/// other; <see cref="Add"/>, <see cref="Remove"/>, <see cref="Train"/>, <see cref="SetParameter"/> and <see cref="Dispose"/> are exclusive and wait
/// for running searches. The lock is held only for the native call itself, never across an await.
/// Every native failure surfaces as a <see cref="FaissException"/> carrying FAISS's message; none crashes the process.
/// </remarks>
public sealed unsafe class FaissIndex : IDisposable
{
    /// <summary>An exact scan; supports removal (HNSW, for one, does not).</summary>
    public const string DefaultFactory = "Flat";

    private const int ErrorCapacity = FaissNative.ErrorCapacity;

    private readonly FaissIndexHandle _handle;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    private FaissIndex(FaissIndexHandle handle)
    {
        _handle = handle;
        var error = stackalloc byte[ErrorCapacity];
        ThrowOnFailure(FaissNative.Dimension(_handle, out var dimension, error, ErrorCapacity), error);
        Dimension = dimension;
    }

    /// <summary>The length of every vector in this index.</summary>
    public int Dimension { get; }

    /// <summary>How many vectors the index holds.</summary>
    public long Count
    {
        get
        {
            using var scope = ReadScope.Enter(this);
            var error = stackalloc byte[ErrorCapacity];
            ThrowOnFailure(FaissNative.Count(_handle, out var count, error, ErrorCapacity), error);
            return count;
        }
    }

    /// <summary>False for index types (IVF, some quantizers) that must see training data before the first add.</summary>
    public bool IsTrained
    {
        get
        {
            using var scope = ReadScope.Enter(this);
            var error = stackalloc byte[ErrorCapacity];
            ThrowOnFailure(FaissNative.IsTrained(_handle, out var trained, error, ErrorCapacity), error);
            return trained != 0;
        }
    }

    /// <summary>Creates an empty index from a FAISS factory string such as <c>Flat</c>, <c>SQ8</c> or <c>IVF256,Flat</c>.</summary>
    public static FaissIndex Create(string factory, FaissMetric metric, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(factory);
        var error = stackalloc byte[ErrorCapacity];
        ThrowOnFailure(FaissNative.Create(factory, (int)metric, dimension, out var index, error, ErrorCapacity), error);
        return new FaissIndex(new FaissIndexHandle(index));
    }

    /// <summary>Restores an index written by <see cref="Serialize"/>, ids included.</summary>
    public static FaissIndex Deserialize(ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.IsEmpty)
        {
            throw new FaissException("the index snapshot is empty");
        }

        var error = stackalloc byte[ErrorCapacity];
        nint index;
        fixed (byte* buffer = snapshot)
        {
            ThrowOnFailure(FaissNative.Deserialize(buffer, (nuint)snapshot.Length, out index, error, ErrorCapacity), error);
        }

        return new FaissIndex(new FaissIndexHandle(index));
    }

    /// <summary>Caps OpenMP and OpenBLAS threads for the whole process (their defaults oversubscribe small machines).</summary>
    public static void SetThreadCount(int threads) => FaissNative.SetThreadCount(threads);

    /// <summary>Trains the index on row-major vectors (a multiple of <see cref="Dimension"/> floats).</summary>
    public void Train(ReadOnlySpan<float> vectors)
    {
        var count = RowCount(vectors, nameof(vectors));
        using var scope = WriteScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        fixed (float* rows = vectors)
        {
            ThrowOnFailure(FaissNative.Train(_handle, count, rows, error, ErrorCapacity), error);
        }
    }

    /// <summary>
    /// Sets a search-time parameter, for example <c>nprobe</c> (how many of an IVF index's lists a search scans).
    /// A parameter this index type does not have throws a <see cref="FaissException"/> with FAISS's message.
    /// </summary>
    public void SetParameter(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var scope = WriteScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        ThrowOnFailure(FaissNative.SetParameter(_handle, name, value, error, ErrorCapacity), error);
    }

    /// <summary>Sets every parameter in turn (see <see cref="SetParameter"/>).</summary>
    public void SetParameters(IEnumerable<FaissSearchParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            SetParameter(parameter.Name, parameter.Value);
        }
    }

    /// <summary>Adds row-major vectors with one id each. Adding an id twice stores two vectors: remove it first.</summary>
    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        var count = RowCount(vectors, nameof(vectors));
        if (count != ids.Length)
        {
            throw new ArgumentException($"{count} vectors but {ids.Length} ids: each vector needs exactly one id", nameof(ids));
        }

        using var scope = WriteScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        fixed (float* rows = vectors)
        fixed (long* labels = ids)
        {
            ThrowOnFailure(FaissNative.Add(_handle, count, rows, labels, error, ErrorCapacity), error);
        }
    }

    /// <summary>Removes every vector with one of these ids and returns how many were removed.</summary>
    public long Remove(ReadOnlySpan<long> ids)
    {
        using var scope = WriteScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        long removed;
        fixed (long* labels = ids)
        {
            ThrowOnFailure(FaissNative.Remove(_handle, ids.Length, labels, out removed, error, ErrorCapacity), error);
        }

        return removed;
    }

    /// <summary>Finds the <paramref name="k"/> nearest stored vectors of each row-major query.</summary>
    public FaissSearchResult Search(ReadOnlySpan<float> queries, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var count = RowCount(queries, nameof(queries));
        var distances = new float[count * k];
        var labels = new long[count * k];
        using var scope = ReadScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        fixed (float* rows = queries)
        fixed (float* outDistances = distances)
        fixed (long* outLabels = labels)
        {
            ThrowOnFailure(FaissNative.Search(_handle, count, rows, k, outDistances, outLabels, error, ErrorCapacity), error);
        }

        return new FaissSearchResult(count, k, distances, labels);
    }

    /// <summary>The vector stored under <paramref name="id"/>, read back from FAISS, or null when the id is absent.</summary>
    public float[]? Reconstruct(long id)
    {
        var vector = new float[Dimension];
        using var scope = ReadScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        int found;
        fixed (float* output = vector)
        {
            ThrowOnFailure(FaissNative.Reconstruct(_handle, id, output, out found, error, ErrorCapacity), error);
        }

        return found != 0 ? vector : null;
    }

    /// <summary>Writes the whole index, ids included, to a byte array.</summary>
    public byte[] Serialize()
    {
        using var scope = ReadScope.Enter(this);
        var error = stackalloc byte[ErrorCapacity];
        ThrowOnFailure(FaissNative.Serialize(_handle, out var buffer, out var length, error, ErrorCapacity), error);
        try
        {
            return new ReadOnlySpan<byte>((void*)buffer, checked((int)length)).ToArray();
        }
        finally
        {
            FaissNative.FreeBuffer(buffer);
        }
    }

    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            _handle.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private int RowCount(ReadOnlySpan<float> vectors, string parameter)
    {
        if (vectors.Length % Dimension != 0)
        {
            throw new ArgumentException(
                $"{vectors.Length} floats is not a whole number of {Dimension}-dimensional vectors", parameter);
        }

        return vectors.Length / Dimension;
    }

    private static void ThrowOnFailure(FaissStatus status, byte* error)
    {
        if (status == FaissStatus.Ok)
        {
            return;
        }

        var message = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(error));
        throw new FaissException($"FAISS {status}: {message}");
    }

    private readonly ref struct ReadScope
    {
        private readonly ReaderWriterLockSlim _lock;

        private ReadScope(ReaderWriterLockSlim gate) => _lock = gate;

        public static ReadScope Enter(FaissIndex index)
        {
            index._lock.EnterReadLock();
            if (index._handle.IsClosed)
            {
                index._lock.ExitReadLock();
                throw new ObjectDisposedException(nameof(FaissIndex));
            }

            return new ReadScope(index._lock);
        }

        public void Dispose() => _lock.ExitReadLock();
    }

    private readonly ref struct WriteScope
    {
        private readonly ReaderWriterLockSlim _lock;

        private WriteScope(ReaderWriterLockSlim gate) => _lock = gate;

        public static WriteScope Enter(FaissIndex index)
        {
            index._lock.EnterWriteLock();
            if (index._handle.IsClosed)
            {
                index._lock.ExitWriteLock();
                throw new ObjectDisposedException(nameof(FaissIndex));
            }

            return new WriteScope(index._lock);
        }

        public void Dispose() => _lock.ExitWriteLock();
    }
}
