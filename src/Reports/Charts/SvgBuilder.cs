using System.Globalization;
using System.Text;

namespace LvlmEval.Reports.Charts;

/// <summary>
/// Writes SVG markup: elements with attributes, XML-escaped text and numbers in invariant culture with at most
/// two decimals (enough for pixel coordinates, small enough to keep reports light).
/// </summary>
public sealed class SvgBuilder
{
    private readonly StringBuilder _sb = new();

    /// <summary>Opens the root element of a <paramref name="width"/> × <paramref name="height"/> drawing with an accessible title.</summary>
    public SvgBuilder(double width, double height, string title)
    {
        _sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(Number(width)).Append("\" height=\"").Append(Number(height))
           .Append("\" viewBox=\"0 0 ").Append(Number(width)).Append(' ').Append(Number(height))
           .Append("\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">");
        _sb.Append("<title>").Append(Escape(title)).Append("</title>");
        Element("rect", ("class", "background"), ("x", "0"), ("y", "0"), ("width", Number(width)), ("height", Number(height)), ("fill", "#ffffff"));
    }

    /// <summary>An empty element such as <c>&lt;line …/&gt;</c>.</summary>
    public SvgBuilder Element(string name, params (string Name, string Value)[] attributes)
    {
        Open(name, attributes, selfClosing: true);
        return this;
    }

    /// <summary>An element holding text, e.g. a label.</summary>
    public SvgBuilder Text(string text, params (string Name, string Value)[] attributes)
    {
        Open("text", attributes, selfClosing: false);
        _sb.Append(Escape(text)).Append("</text>");
        return this;
    }

    /// <summary>Opens a group; close it with <see cref="EndGroup"/>.</summary>
    public SvgBuilder BeginGroup(params (string Name, string Value)[] attributes)
    {
        Open("g", attributes, selfClosing: false);
        return this;
    }

    /// <summary>Closes the innermost group.</summary>
    public SvgBuilder EndGroup()
    {
        _sb.Append("</g>");
        return this;
    }

    /// <summary>A tooltip for the enclosing element (browsers show it on hover).</summary>
    public SvgBuilder Tooltip(string text)
    {
        _sb.Append("<title>").Append(Escape(text)).Append("</title>");
        return this;
    }

    /// <summary>Closes the root element and returns the document.</summary>
    public string Finish() => _sb.Append("</svg>").ToString();

    /// <summary>A coordinate or length as SVG text: invariant culture, at most two decimals, no "-0".</summary>
    public static string Number(double value)
    {
        double rounded = Math.Round(value, 2);
        if (rounded == 0) rounded = 0;
        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Escapes text for XML content and attribute values.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                // Control characters other than tab/newline are not allowed in XML 1.0 at all.
                case < ' ' when c is not ('\t' or '\n' or '\r'): sb.Append('\uFFFD'); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private void Open(string name, (string Name, string Value)[] attributes, bool selfClosing)
    {
        _sb.Append('<').Append(name);
        foreach (var (attribute, value) in attributes) _sb.Append(' ').Append(attribute).Append("=\"").Append(Escape(value)).Append('"');
        _sb.Append(selfClosing ? "/>" : ">");
    }
}
