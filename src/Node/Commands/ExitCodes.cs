namespace Spillway.Node.Commands;

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    /// <summary>Bad configuration or usage: nothing was started.</summary>
    public const int BadConfiguration = 2;
}
