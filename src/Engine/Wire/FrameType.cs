namespace Spillway.Engine.Wire;

/// <summary>Frame type byte (docs/wire-format.md).</summary>
internal enum FrameType : byte
{
    Hello = 1,
    Subscriptions = 2,
    Data = 3,
    Heartbeat = 4,
}
