using System.Text.Json;

namespace Spillway.EndToEnd.Tests;

/// <summary>The few Prometheus HTTP API calls the tests need (v1, JSON).</summary>
public sealed class PrometheusApi(HttpClient http, string baseUrl)
{
    public string BaseUrl => baseUrl;

    /// <summary>GET <paramref name="pathAndQuery"/>; returns <c>data</c> after checking <c>status == "success"</c>.</summary>
    public async Task<JsonElement> GetDataAsync(string pathAndQuery)
    {
        using var response = await http.GetAsync(baseUrl + pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"GET {pathAndQuery}: HTTP {(int)response.StatusCode}, not JSON: {Shorten(body)}");
        }
        if (root.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"GET {pathAndQuery}: HTTP {(int)response.StatusCode}: {Shorten(body)}");
        return root.GetProperty("data");
    }

    /// <summary>An instant query; returns <c>data.result</c> (vector results: one element per series).</summary>
    public async Task<JsonElement> QueryAsync(string promql) =>
        (await GetDataAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql))).GetProperty("result");

    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string match) =>
        (await GetDataAsync($"/api/v1/label/{Uri.EscapeDataString(label)}/values?match[]={Uri.EscapeDataString(match)}"))
            .EnumerateArray().Select(e => e.GetString()!).ToArray();

    public async Task<IReadOnlyList<JsonElement>> ActiveTargetsAsync() =>
        (await GetDataAsync("/api/v1/targets?state=active")).GetProperty("activeTargets").EnumerateArray().ToArray();

    public async Task<IReadOnlyList<JsonElement>> AlertsAsync() =>
        (await GetDataAsync("/api/v1/alerts")).GetProperty("alerts").EnumerateArray().ToArray();

    public async Task<IReadOnlyList<JsonElement>> RulesAsync() =>
        (await GetDataAsync("/api/v1/rules")).GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray();

    /// <summary>A compact rendering of a query result for failure messages.</summary>
    public static string Render(JsonElement result, int max = 10)
    {
        if (result.ValueKind != JsonValueKind.Array) return result.GetRawText();
        var items = result.EnumerateArray().ToArray();
        if (items.Length == 0) return "[] (no series)";
        return $"{items.Length} series: " + string.Join("; ", items.Take(max).Select(i =>
            (i.TryGetProperty("metric", out var m) ? m.GetRawText() : "") + " " +
            (i.TryGetProperty("value", out var v) ? v[1].GetString() : ""))) + (items.Length > max ? "; ..." : "");
    }

    public static string Label(JsonElement withLabels, string name) =>
        withLabels.GetProperty("labels").TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";

    private static string Shorten(string s) => s.Length <= 600 ? s : s[..600] + "...";
}
