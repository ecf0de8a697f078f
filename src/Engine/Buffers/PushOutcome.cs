namespace Spillway.Engine.Buffers;

internal enum PushOutcome
{
    /// <summary>Appended; nothing lost.</summary>
    Queued,
    /// <summary>Buffer was full under drop_oldest: the oldest message was discarded, the new one appended.</summary>
    DroppedOldest,
    /// <summary>Buffer was full under drop_newest: the new message was discarded.</summary>
    DroppedNewest,
    /// <summary>Buffer was full under disconnect: the buffer is now closed and its owner must tear down.</summary>
    OverflowDisconnect,
    /// <summary>The buffer was already closed (its peering is going away); the message was not queued.</summary>
    Closed,
}
