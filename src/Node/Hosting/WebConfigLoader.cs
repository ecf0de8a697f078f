using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spillway.Telemetry.Layout;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spillway.Node.Hosting;

/// <summary>
/// Reads the exporter-toolkit web configuration format (the file node_exporter and Prometheus take with <c>--web.config.file</c>):
/// <c>tls_server_config</c> (<c>cert_file</c>, <c>key_file</c>, <c>client_ca_file</c>, <c>client_auth_type</c>) and
/// <c>basic_auth_users</c> (name: bcrypt hash). Relative paths resolve against the file's folder. Every problem is a
/// <see cref="LayoutException"/> naming the file and field, so <c>spillway node</c> stops with exit code 2.
/// </summary>
public static class WebConfigLoader
{
    public const string NoClientCert = "NoClientCert";
    public const string RequireAndVerifyClientCert = "RequireAndVerifyClientCert";
    public const string VerifyClientCertIfGiven = "VerifyClientCertIfGiven";
    public const string RequireAnyClientCert = "RequireAnyClientCert";
    public const string RequestClientCert = "RequestClientCert";
    private static readonly string[] ClientAuthTypes = [NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert];
    // Only what is implemented: a field such as client_allowed_sans that was silently ignored would weaken what the operator asked for.
    private static readonly string[] TopLevel = ["tls_server_config", "basic_auth_users"];
    private static readonly string[] TlsFields = ["cert_file", "key_file", "client_ca_file", "client_auth_type"];

    public static WebConfig Load(string path)
    {
        if (!File.Exists(path)) throw new LayoutException(path, null, "file not found");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new LayoutException(path, null, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            return new WebConfig { Source = path };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "";

        CheckKeys(path, null, root, TopLevel);
        X509Certificate2? certificate = null, clientAuthority = null;
        var clientAuthType = NoClientCert;
        if (Child(root, "tls_server_config") is { } tlsNode)
        {
            if (tlsNode is not YamlMappingNode tls) throw new LayoutException(path, "tls_server_config", "expected a mapping");
            CheckKeys(path, "tls_server_config", tls, TlsFields);
            var certFile = Resolve(folder, Scalar(path, tls, "tls_server_config.cert_file", required: true)!);
            var keyFile = Resolve(folder, Scalar(path, tls, "tls_server_config.key_file", required: true)!);
            RequireFile(path, "tls_server_config.cert_file", certFile);
            RequireFile(path, "tls_server_config.key_file", keyFile);
            try { certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile); }
            catch (CryptographicException e)
            {
                throw new LayoutException(path, "tls_server_config.cert_file, tls_server_config.key_file", $"cannot load {certFile} with key {keyFile}: {e.Message}", e);
            }
            if (Scalar(path, tls, "tls_server_config.client_ca_file", required: false) is { } caText)
            {
                var caFile = Resolve(folder, caText);
                RequireFile(path, "tls_server_config.client_ca_file", caFile);
                try { clientAuthority = X509Certificate2.CreateFromPem(File.ReadAllText(caFile)); }
                catch (CryptographicException e) { throw new LayoutException(path, "tls_server_config.client_ca_file", $"{caFile} is not a PEM certificate: {e.Message}", e); }
            }
            if (Scalar(path, tls, "tls_server_config.client_auth_type", required: false) is { } authType)
            {
                if (Array.IndexOf(ClientAuthTypes, authType) < 0)
                    throw new LayoutException(path, "tls_server_config.client_auth_type", $"unknown value '{authType}' (expected {LayoutFieldsText(ClientAuthTypes)})");
                clientAuthType = authType;
            }
            if (clientAuthType is RequireAndVerifyClientCert or VerifyClientCertIfGiven && clientAuthority is null)
                throw new LayoutException(path, "tls_server_config.client_ca_file", $"required when client_auth_type is {clientAuthType}");
        }

        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(root, "basic_auth_users") is { } usersNode)
        {
            if (usersNode is not YamlMappingNode map) throw new LayoutException(path, "basic_auth_users", "expected a mapping of user name to bcrypt hash");
            foreach (var (k, v) in map.Children)
            {
                var user = ((YamlScalarNode)k).Value ?? "";
                var field = $"basic_auth_users.{user}";
                if (v is not YamlScalarNode { Value: { } hash } || !hash.StartsWith("$2", StringComparison.Ordinal) || hash.Length != 60)
                    throw new LayoutException(path, field, "expected a bcrypt hash ($2a$/$2b$/$2y$, 60 characters)");
                users[user] = hash;
            }
        }
        return new WebConfig
        {
            Certificate = certificate, ClientAuthority = clientAuthority, ClientAuthType = clientAuthType, BasicAuthUsers = users, Source = path,
        };
    }

    private static string LayoutFieldsText(string[] items) => string.Join(", ", items[..^1]) + " or " + items[^1];

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static void CheckKeys(string path, string? parent, YamlMappingNode map, string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (Array.IndexOf(allowed, name) < 0)
                throw new LayoutException(path, parent is null ? name : $"{parent}.{name}", $"unknown field (expected {LayoutFieldsText(allowed)})");
        }
    }

    private static string? Scalar(string path, YamlMappingNode map, string field, bool required)
    {
        var key = field[(field.LastIndexOf('.') + 1)..];
        if (Child(map, key) is not { } node)
            return required ? throw new LayoutException(path, field, "required field missing") : null;
        if (node is not YamlScalarNode { Value: { Length: > 0 } value }) throw new LayoutException(path, field, "expected a non-empty string");
        return value;
    }

    private static string Resolve(string folder, string file) => Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(folder, file));

    private static void RequireFile(string path, string field, string file)
    {
        if (!File.Exists(file)) throw new LayoutException(path, field, $"file not found: {file}");
    }
}
