using System.Runtime.InteropServices;

namespace MemorySync.Faiss;

/// <summary>Owns one native index; the runtime frees it exactly once, even if a caller forgets to dispose.</summary>
internal sealed class FaissIndexHandle : SafeHandle
{
    public FaissIndexHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal FaissIndexHandle(nint index)
        : base(nint.Zero, ownsHandle: true)
    {
        SetHandle(index);
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        FaissNative.Free(handle);
        return true;
    }
}
