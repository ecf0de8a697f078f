namespace Spillway.WebSockets;

/// <summary>What <see cref="MessageReceiver.ReceiveAsync"/> found.</summary>
internal enum ReceivedMessageKind
{
    /// <summary>A complete text message is in <see cref="MessageReceiver.Message"/>.</summary>
    Text,
    /// <summary>A complete binary message was read (and is not supported).</summary>
    Binary,
    /// <summary>The client sent a close frame.</summary>
    Close,
    /// <summary>The message passed the size limit; reading stopped in the middle of it.</summary>
    TooBig,
}
