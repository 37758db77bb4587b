using System.Text;

namespace LvlmEval.Results;

/// <summary>Property name to column name: PascalCase to snake_case (RunId → run_id, GenerationMs → generation_ms).</summary>
public static class ColumnNames
{
    /// <summary>Converts <paramref name="name"/> to snake_case; acronyms stay together (HTTPCode → http_code).</summary>
    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool previousLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                bool acronymEnds = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousLowerOrDigit || acronymEnds) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
