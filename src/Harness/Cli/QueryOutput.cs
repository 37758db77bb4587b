using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using LvlmEval.Results;

namespace LvlmEval.Harness.Cli;

/// <summary>Prints a query result as an aligned text table, JSON (an array of objects) or CSV (RFC 4180, header row).</summary>
public static class QueryOutput
{
    /// <summary>Columns padded to their widest cell, numbers right-aligned, NULL for missing values, then the row count.</summary>
    public static void Table(QueryResult result, TextWriter output)
    {
        var cells = result.Rows.Select(r => r.Select(v => v is null ? "NULL" : Text(v)).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => cells.Select(r => r[i].Length).Prepend(c.Name.Length).Max()).ToArray();
        var numeric = result.Columns.Select((_, i) => result.Rows.Count > 0 && result.Rows.All(r => r[i] is null || IsNumber(r[i]!))).ToArray();
        string Line(IReadOnlyList<string> row) => string.Join("  ", row.Select((cell, i) => numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(result.Columns.Select(c => c.Name).ToArray()));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells) output.WriteLine(Line(row));
        output.WriteLine(result.Rows.Count == 1 ? "(1 row)" : $"({result.Rows.Count} rows)");
    }

    /// <summary>One JSON object per row, keys in column order; lists are arrays; NaN and infinities are the strings "NaN", "Infinity", "-Infinity".</summary>
    public static void Json(QueryResult result, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                for (int i = 0; i < row.Length; i++)
                {
                    json.WritePropertyName(result.Columns[i].Name);
                    WriteJson(json, row[i]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A header row, then one line per row; fields with a comma, quote or line break are quoted; NULL is an empty field.</summary>
    public static void Csv(QueryResult result, TextWriter output)
    {
        output.WriteLine(string.Join(",", result.Columns.Select(c => CsvField(c.Name))));
        foreach (var row in result.Rows) output.WriteLine(string.Join(",", row.Select(v => v is null ? "" : CsvField(Text(v)))));
    }

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;

    private static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong
        or float or double or decimal or BigInteger or Int128 or UInt128;

    /// <summary>A value as text: numbers in invariant culture and shortest round-trip form, lists as [a, b], structs as {k: v}.</summary>
    private static string Text(object? value) => value switch
    {
        null => "NULL",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}: {Text(map[k])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Text)) + "]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void WriteJson(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case double or float: json.WriteStringValue(Text(value)); break;
            case int or long or short or sbyte or byte or ushort or uint: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case decimal m: json.WriteNumberValue(m); break;
            case BigInteger or Int128 or UInt128: json.WriteRawValue(Text(value)); break;
            case IDictionary map:
                json.WriteStartObject();
                foreach (var key in map.Keys) { json.WritePropertyName(key.ToString() ?? ""); WriteJson(json, map[key]); }
                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list) WriteJson(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(Text(value)); break;
        }
    }
}
