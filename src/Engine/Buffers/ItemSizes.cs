namespace Spillway.Engine.Buffers;

/// <summary>How a <see cref="SendBuffer{T}"/> with a byte bound learns the size of an item that leaves it.</summary>
internal enum ItemSizes
{
    /// <summary>
    /// The size function runs once per push, outside the lock, and its answer is kept beside the item: for sizes that
    /// cost a walk of the item (a client's decoded message).
    /// </summary>
    Kept,

    /// <summary>
    /// The size function runs again on the item as it leaves: for sizes that are a field of the item (a frame's length),
    /// so the function must give the same answer every time. The ring then has no second array of sizes, whose
    /// cache lines every push wrote and every drain read: at 64 peers that traffic was a fifth of what each added peer
    /// cost the publishing thread (docs/design.md §11).
    /// </summary>
    ReadAgain,
}
