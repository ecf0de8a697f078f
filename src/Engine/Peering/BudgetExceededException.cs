namespace Spillway.Engine.Peering;

/// <summary>A remote passed one of the endpoint's budgets; the connection or peering closes with <see cref="CloseReason.BudgetExceeded"/>.</summary>
/// <param name="reason">Which budget was passed.</param>
/// <param name="message">What the remote did, for the log.</param>
public sealed class BudgetExceededException(RefusalReason reason, string message) : Exception(message)
{
    /// <summary>Which budget was passed.</summary>
    public RefusalReason Reason { get; } = reason;
}
