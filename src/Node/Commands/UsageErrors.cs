using System.CommandLine;
using System.CommandLine.Help;

namespace Spillway.Node.Commands;

/// <summary>
/// The CLI's error contract: a usage error prints exactly one line, <c>spillway &lt;command&gt;: &lt;problem&gt;</c>, on
/// stderr and exits <see cref="ExitCodes.BadConfiguration"/>; no help dump, no stack trace. Help and version requests
/// run as usual.
/// </summary>
internal static class UsageErrors
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, InvocationConfiguration configuration)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            configuration.Error.WriteLine($"{Prefix(parse)}: {Describe(parse)}");
            return ExitCodes.BadConfiguration;
        }
        return await parse.InvokeAsync(configuration);
    }

    /// <summary><c>spillway</c> or <c>spillway demo</c>: who speaks, as in every other message of the CLI.</summary>
    public static string Prefix(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "spillway" : $"spillway {parse.CommandResult.Command.Name}";

    private static string Describe(ParseResult parse)
    {
        // Unknown words first: a typo is more likely the cause than anything that follows from it.
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            return token.StartsWith('-')
                ? $"unknown option '{token}'; see '{Prefix(parse)} --help'"
                : $"unexpected argument '{token}'; see '{Prefix(parse)} --help'";
        }
        if (parse.CommandResult.Command is RootCommand && !parse.CommandResult.Children.Any())
            return $"no command given; use one of {string.Join(", ", parse.RootCommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (spillway --help)";
        var first = parse.Errors[0];
        if (first.SymbolResult is System.CommandLine.Parsing.OptionResult { Option: { } option } && first.Message.EndsWith(" is required.", StringComparison.Ordinal))
            return $"{option.Name} is required";
        return first.Message.TrimEnd('.');
    }
}
