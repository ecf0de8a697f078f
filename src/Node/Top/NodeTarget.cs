namespace Spillway.Node.Top;

/// <summary>One node <c>top</c> polls: its display name and the URL of its <c>/peers</c> document.</summary>
/// <param name="Name">The node's name (from the layout); shown even when the node does not answer.</param>
/// <param name="PeersUrl">Absolute URL of the node's <c>/peers</c> endpoint, e.g. <c>http://127.0.0.1:9101/peers</c>.</param>
public sealed record NodeTarget(string Name, Uri PeersUrl);
