using System.CommandLine;
using Spillway.Node.Commands;

var root = new RootCommand("spillway: an observable pub/sub peering engine")
{
    NodeCommand.Create(),
    DemoCommand.Create(),
    TopCommand.Create(),
    WatchCommand.Create(),
    CertsCommand.Create(),
};
// SIGINT and SIGTERM cancel the running command's token; it then has this long to stop its nodes cleanly.
// Usage errors: one line and exit 2 (UsageErrors).
return await UsageErrors.InvokeAsync(root, args, new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
