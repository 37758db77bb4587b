using System.Globalization;
using System.Text;

namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// Builds the compact header JSON the way the reference implementation (serde_json) prints it: no spaces,
/// <c>__metadata__</c> first, then the entries in data order, strings escaped minimally and kept as UTF-8.
/// </summary>
internal static class HeaderJson
{
    /// <summary>The header bytes, padded with spaces to a multiple of 8 so the data section stays aligned.</summary>
    public static byte[] Build(IReadOnlyDictionary<string, string>? metadata, IReadOnlyList<SafetensorsTensorInfo> entries)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        if (metadata is not null)
        {
            sb.Append("\"__metadata__\":{");
            bool firstPair = true;
            foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
            {
                if (!firstPair) sb.Append(',');
                firstPair = false;
                AppendString(sb, key);
                sb.Append(':');
                AppendString(sb, metadata[key]);
            }
            sb.Append('}');
            first = false;
        }
        foreach (var e in entries)
        {
            if (!first) sb.Append(',');
            first = false;
            AppendString(sb, e.Name);
            sb.Append(":{\"dtype\":");
            AppendString(sb, e.DType.HeaderName());
            sb.Append(",\"shape\":[").AppendJoin(',', e.Shape).Append("],\"data_offsets\":[");
            sb.Append(e.DataBegin.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(e.DataEnd.ToString(CultureInfo.InvariantCulture)).Append("]}");
        }
        sb.Append('}');
        int length = Encoding.UTF8.GetByteCount(sb.ToString());
        sb.Append(' ', (8 - length % 8) % 8);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
