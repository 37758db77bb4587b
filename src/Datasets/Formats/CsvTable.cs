using System.Text;

namespace LvlmEval.Datasets.Formats;

/// <summary>One CSV record with the line it started on (1-based, header = line 1).</summary>
public sealed record CsvRow(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Rows keep their line numbers so a
/// record with the wrong number of columns can be reported precisely instead of failing the file.
/// </summary>
public static class CsvTable
{
    /// <summary>Header fields and data rows of a CSV file (UTF-8, BOM tolerated).</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows) Read(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = Parse(text);
        if (records.Count == 0) throw new FormatException($"{path}: empty CSV file (no header).");
        return (records[0].Fields, records.Skip(1).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Length == 0)).ToList());
    }

    /// <summary>Parses CSV text into records.</summary>
    public static List<CsvRow> Parse(string text)
    {
        var rows = new List<CsvRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool quoted = false, fieldStarted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted || field.Length == 0:
                    quoted = true; fieldStarted = true; break;
                case ',':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false; break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false;
                    rows.Add(new CsvRow(recordLine, fields.ToArray()));
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c); fieldStarted = true; break;
            }
        }
        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            fields.Add(field.ToString());
            rows.Add(new CsvRow(recordLine, fields.ToArray()));
        }
        if (rows.Count > 0 && rows[0].Fields.Count > 0 && rows[0].Fields[0].StartsWith('\uFEFF'))
            rows[0] = rows[0] with { Fields = [rows[0].Fields[0][1..], .. rows[0].Fields.Skip(1)] };
        return rows;
    }
}
