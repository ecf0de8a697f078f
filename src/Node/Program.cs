using System.CommandLine;
using Spillway.Node.Commands;

var root = new RootCommand("spillway: an observable pub/sub peering engine")
{
    NodeCommand.Create(),
    DemoCommand.Create(),
    TopCommand.Create(),
    WatchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
