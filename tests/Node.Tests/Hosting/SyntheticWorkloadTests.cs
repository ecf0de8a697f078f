using Spillway.Node.Hosting;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Hosting;

public sealed class SyntheticWorkloadTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(50)]
    [InlineData(600)]
    [InlineData(7)]
    [InlineData(1)]
    public void EverySecondOfTicksPublishesTheWholeRate(int perSecond)
    {
        for (long second = 0; second < 3; second++)
        {
            var sum = 0;
            for (long tick = second * SyntheticWorkload.TicksPerSecond; tick < (second + 1) * SyntheticWorkload.TicksPerSecond; tick++)
                sum += SyntheticWorkload.MessagesInTick(perSecond, tick);
            Assert.Equal(perSecond, sum);
        }
    }

    [Fact]
    public void TheManagersControlTopicIsPublishedAtFivePerSecond()
    {
        var manager = new NodeSpec { Name = "manager", Role = NodeRole.Manager, Host = "127.0.0.1", PeeringPort = 1, MetricsPort = 2 };
        var control = Assert.Single(SyntheticWorkload.PublishPlan(manager), p => p.Topic == SyntheticWorkload.ControlTopic);
        Assert.Equal(5, control.PerSecond);
        var perTick = Enumerable.Range(0, 10).Select(t => SyntheticWorkload.MessagesInTick(control.PerSecond, t)).ToArray();
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], perTick);
    }
}
