using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Spillway.Node.Hosting;

/// <summary>
/// HTTP basic authentication against bcrypt hashes (exporter-toolkit <c>basic_auth_users</c>). A bcrypt check costs tens of
/// milliseconds by design, so a verified (user, password) pair is remembered by its SHA-256, as exporter-toolkit does;
/// a scrape every few seconds then costs one hash, not one bcrypt.
/// </summary>
internal sealed class BasicAuthMiddleware(RequestDelegate next, IReadOnlyDictionary<string, string> users)
{
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (Authenticated(context.Request.Headers.Authorization.ToString()))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"spillway\"";
        await context.Response.WriteAsync("Unauthorized\n");
    }

    private bool Authenticated(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
        catch (FormatException) { return false; }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];
        if (!users.TryGetValue(user, out var hash)) return false;
        var key = user + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash + "\0" + password)));
        if (_verified.TryGetValue(key, out var ok)) return ok;
        ok = BCrypt.Net.BCrypt.Verify(password, hash);
        if (ok) _verified[key] = true; // only successes: failures must not fill memory with guesses
        return ok;
    }
}
