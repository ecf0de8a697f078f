using System.CommandLine;
using Spillway.Node.Security;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Commands;

/// <summary>
/// <c>spillway certs --layout FILE --out DIR</c>: a new cluster CA and one certificate per node of the layout (docs/security.md),
/// named so that <c>"tls": { "ca": "DIR/ca.crt" }</c> is all the layout needs.
/// </summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var layout = new Option<string>("--layout") { Description = "Cluster layout JSON file: one certificate per node", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write ca.crt, ca.key, <node>.crt and <node>.key into", Required = true };
        var days = new Option<int>("--days") { Description = "Validity of the CA and the node certificates in days (default 365)", DefaultValueFactory = _ => 365 };
        var keyType = new Option<string>("--key-type")
        {
            Description = $"Key algorithm: {string.Join(", ", ClusterCertificates.KeyTypeNames)} (default {ClusterCertificates.DefaultKeyTypeName})",
            DefaultValueFactory = _ => ClusterCertificates.DefaultKeyTypeName,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite certificates and keys already in the folder" };
        var command = new Command("certs", "Make a cluster CA and a certificate per node of a layout (TLS for peerings, WebSocket and metrics)")
        {
            layout, output, days, keyType, force,
        };
        command.SetAction(parse => Run(parse.GetValue(layout)!, parse.GetValue(output)!, parse.GetValue(days), parse.GetValue(keyType)!, parse.GetValue(force)));
        return command;
    }

    private static int Run(string layoutPath, string outDir, int days, string keyTypeName, bool force)
    {
        ClusterLayout cluster;
        try { cluster = LayoutLoader.Load(layoutPath); }
        catch (LayoutException e) { return Fail(e.Message); }
        if (!ClusterCertificates.TryParseKeyType(keyTypeName, out var keyType))
            return Fail($"--key-type: unknown key type '{keyTypeName}' (expected {string.Join(", ", ClusterCertificates.KeyTypeNames)})");
        if (days is < 1 or > 36500) return Fail($"--days: must be 1..36500, got {days}");
        var existing = new[] { ClusterCertificates.AuthorityCertificateFile, ClusterCertificates.AuthorityKeyFile }
            .Concat(cluster.Nodes.SelectMany(n => new[] { n.Name + ".crt", n.Name + ".key" }))
            .Select(f => Path.Combine(outDir, f)).Where(File.Exists).ToArray();
        if (existing.Length > 0 && !force)
            return Fail($"--out: {outDir} already holds {string.Join(", ", existing.Select(Path.GetFileName))}; use --force to replace them");

        try
        {
            var written = ClusterCertificates.WriteCluster(cluster, outDir, TimeSpan.FromDays(days), keyType);
            foreach (var file in written) Console.WriteLine($"wrote {file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"spillway certs: --out: cannot write to {outDir}: {e.Message}");
            return ExitCodes.Failed;
        }
        var ca = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(layoutPath))!, Path.Combine(Path.GetFullPath(outDir), ClusterCertificates.AuthorityCertificateFile));
        Console.WriteLine($"Add to {layoutPath}: \"tls\": {{ \"ca\": \"{ca.Replace('\\', '/')}\" }}  (each node then uses <name>.crt and <name>.key beside it).");
        Console.WriteLine($"Keep {Path.Combine(outDir, ClusterCertificates.AuthorityKeyFile)} off the nodes: it signs new members of the cluster.");
        return ExitCodes.Ok;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"spillway certs: {message}");
        return ExitCodes.BadConfiguration;
    }
}
