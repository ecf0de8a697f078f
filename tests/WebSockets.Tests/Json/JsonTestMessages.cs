using System.Text;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Tests.Json;

/// <summary>Builders for Broker JSON v1 test input.</summary>
internal static class JsonTestMessages
{
    /// <summary>A data message on topic <c>/t</c> with the given <c>@data-type</c> and raw JSON <c>data</c>.</summary>
    public static byte[] DataMessage(string dataType, string dataJson) =>
        Utf8($"{{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"{dataType}\",\"data\":{dataJson}}}");

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary><paramref name="levels"/> vectors nested inside each other around <c>count 1</c>, as JSON.</summary>
    public static string NestedVectorJson(int levels)
    {
        var json = "{\"@data-type\":\"count\",\"data\":1}";
        for (int i = 0; i < levels; i++) json = $"{{\"@data-type\":\"vector\",\"data\":[{json}]}}";
        return json;
    }

    /// <summary><paramref name="levels"/> tables, each holding the next as the value of key <c>count 1</c>, as JSON.</summary>
    public static string NestedTableJson(int levels)
    {
        var json = "{\"@data-type\":\"count\",\"data\":1}";
        for (int i = 0; i < levels; i++)
            json = $"{{\"@data-type\":\"table\",\"data\":[{{\"key\":{{\"@data-type\":\"count\",\"data\":1}},\"value\":{json}}}]}}";
        return json;
    }

    /// <summary>Wraps a value object's JSON (<c>{"@data-type":…}</c>) into a data message on topic <c>/t</c>.</summary>
    public static byte[] AsDataMessage(string valueJson) =>
        Utf8("{\"type\":\"data-message\",\"topic\":\"/t\"," + valueJson[1..]);

    public static Value NestedVector(int levels)
    {
        Value value = new CountValue(1);
        for (int i = 0; i < levels; i++) value = new VectorValue(value);
        return value;
    }

    public static Value NestedTable(int levels)
    {
        Value value = new CountValue(1);
        for (int i = 0; i < levels; i++) value = new TableValue(KeyValuePair.Create<Value, Value>(new CountValue(1), value));
        return value;
    }
}
