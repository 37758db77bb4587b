using System.Globalization;
using System.Net;

namespace LvlmEval.Reports;

/// <summary>Small helpers for writing the report's HTML: escaping and number formats.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A value for people: three significant decimals, "—" when missing.</summary>
    public static string F(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "—";

    /// <summary>A value for machines (data attributes): round-trip precision.</summary>
    public static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A p-value: "&lt;0.001" or three decimals.</summary>
    public static string P(double p) => p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A name usable in file names and ids: letters, digits, '-' and '_' only.</summary>
    public static string Slug(params string[] parts) =>
        string.Join("_", parts.Select(p => new string(p.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-')));
}
