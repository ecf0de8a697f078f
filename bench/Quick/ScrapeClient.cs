namespace Spillway.Bench.Quick;

/// <summary>
/// Scrapes a /metrics URL the way Prometheus does: the body is read into a buffer kept from one scrape to the next,
/// not into a new array each time.
/// </summary>
/// <remarks>
/// The scraper runs in the process it measures, so whatever it allocates is charged to the node. A new array per
/// scrape (<see cref="HttpClient.GetByteArrayAsync(string)"/>) put 382 kB on the large object heap at 1,000 peers,
/// as much again as the exporter's own allocation, and the gen2 collections it set off ran on the node's cores.
/// Prometheus keeps its scrape buffers between scrapes, and in another process.
/// </remarks>
internal sealed class ScrapeClient(HttpClient http)
{
    private byte[] _body = new byte[64 * 1024];

    /// <summary>GETs <paramref name="url"/> and reads the body to its end; returns its length in bytes.</summary>
    public async Task<int> ScrapeAsync(string url)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var length = 0;
        while (true)
        {
            if (length == _body.Length) Array.Resize(ref _body, _body.Length * 2);
            var read = await stream.ReadAsync(_body.AsMemory(length));
            if (read == 0) return length;
            length += read;
        }
    }
}
