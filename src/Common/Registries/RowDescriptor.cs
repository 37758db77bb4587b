using System.Text.RegularExpressions;

namespace LvlmEval.Common.Registries;

/// <summary>
/// One kind of row a metric writes to the scores table. <see cref="Template"/> is the row name with its variable parts
/// spelled out: <c>{a|b}</c> is one of the listed words, <c>{int}</c> a whole number — e.g.
/// <c>deletion_auc_{nppl|prob}</c> or <c>iou_top{int}</c>. The direction and range are what report, compare and docs show.
/// </summary>
public sealed record RowDescriptor(string Template, Direction Direction, double Min, double Max, Granularity Scope, string Meaning)
{
    private Regex? _pattern;

    /// <summary>Whether the row is a score (ranked) or a reference (oracle, chance level, ceiling) the tables show beside the scores.</summary>
    public RowRole Role { get; init; } = RowRole.Score;

    /// <summary>Whether <paramref name="row"/> is a name this template produces.</summary>
    public bool Matches(string row) => (_pattern ??= Compile(Template)).IsMatch(row);

    /// <summary>The range as docs print it, e.g. "[0, 1]" or "(−∞, ∞)".</summary>
    public string RangeText => $"{Bound(Min, "(−∞", "[")}, {Bound(Max, "∞)", "]", closing: true)}";

    private static string Bound(double value, string infinite, string bracket, bool closing = false) =>
        double.IsInfinity(value) ? infinite
            : closing ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) + bracket
            : bracket + value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Regex Compile(string template)
    {
        var pattern = new System.Text.StringBuilder("^");
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0) { pattern.Append(Regex.Escape(template[i..])); break; }
            int close = template.IndexOf('}', open);
            if (close < 0) throw new ArgumentException($"Row template '{template}' has an unclosed '{{'.");
            pattern.Append(Regex.Escape(template[i..open]));
            string slot = template[(open + 1)..close];
            pattern.Append(slot == "int" ? "[0-9]+" : "(?:" + string.Join("|", slot.Split('|').Select(Regex.Escape)) + ")");
            i = close + 1;
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
