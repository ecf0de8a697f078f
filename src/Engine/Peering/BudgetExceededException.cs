namespace Spillway.Engine.Peering;

/// <summary>A remote passed one of the endpoint's budgets; the connection or peering closes with <see cref="CloseReason.BudgetExceeded"/>.</summary>
public sealed class BudgetExceededException(RefusalReason reason, string message) : Exception(message)
{
    public RefusalReason Reason { get; } = reason;
}
