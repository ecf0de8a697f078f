namespace Spillway.Engine.Peering;

/// <summary>Which side dialed a peering.</summary>
public enum PeeringDirection
{
    /// <summary>This endpoint dialed (and re-dials after loss).</summary>
    Initiated,
    /// <summary>The remote dialed this endpoint's listener.</summary>
    Accepted,
}
