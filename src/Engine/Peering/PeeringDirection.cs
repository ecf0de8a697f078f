namespace Spillway.Engine.Peering;

public enum PeeringDirection
{
    /// <summary>This endpoint dialed (and re-dials after loss).</summary>
    Initiated,
    /// <summary>The remote dialed this endpoint's listener.</summary>
    Accepted,
}
