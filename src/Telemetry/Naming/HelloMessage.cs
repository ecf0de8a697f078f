using Spillway.Engine.Data;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// The hello each side publishes after a peering comes up: <c>[node name, endpoint id]</c> on
/// <c>spillway/hello/&lt;receiver's endpoint id&gt;</c>, a topic only the receiver subscribes to.
/// </summary>
public static class HelloMessage
{
    public const string TopicPrefix = "spillway/hello/";
    /// <summary>
    /// The acknowledgement: the receiver of a hello that named the sender publishes its own
    /// <c>[node name, endpoint id]</c> on <c>spillway/named/&lt;hello sender's endpoint id&gt;</c>; until it
    /// arrives the sender repeats its hello.
    /// </summary>
    public const string AckTopicPrefix = "spillway/named/";

    public static string TopicFor(EndpointId receiver) => TopicPrefix + receiver;

    public static string AckTopicFor(EndpointId helloSender) => AckTopicPrefix + helloSender;

    public static Value Create(string nodeName, EndpointId sender) =>
        new VectorValue(new StringValue(nodeName), new StringValue(sender.ToString()));

    /// <summary>Reads a hello; false (with the problem) for anything not shaped like one.</summary>
    public static bool TryParse(Value value, out string name, out EndpointId sender, out string problem)
    {
        name = "";
        sender = default;
        if (value is not VectorValue { Items: [StringValue n, StringValue id] })
        {
            problem = "hello is not [name, endpoint id]";
            return false;
        }
        if (!EndpointId.TryParse(id.Value, out sender))
        {
            problem = "hello carries a malformed endpoint id";
            return false;
        }
        name = n.Value;
        problem = "";
        return true;
    }
}
