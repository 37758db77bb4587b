using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>TimeUnit</c> union (MILLIS = 1, MICROS = 2, NANOS = 3).</summary>
public enum TimeUnit
{
    Millis = 1,
    Micros = 2,
    Nanos = 3,
}

/// <summary>Which member of the parquet.thrift <c>LogicalType</c> union is set.</summary>
public enum LogicalTypeKind
{
    String = 1,
    Map = 2,
    List = 3,
    Enum = 4,
    Decimal = 5,
    Date = 6,
    Time = 7,
    Timestamp = 8,
    Integer = 10,
    Unknown = 11,
    Json = 12,
    Bson = 13,
    Uuid = 14,
    Float16 = 15,
}

/// <summary>
/// parquet.thrift <c>LogicalType</c> union. The kinds this library writes (STRING, TIMESTAMP) carry their fields;
/// INTEGER keeps its bit width and signedness; other kinds are recognised by name only.
/// </summary>
public sealed class LogicalType
{
    public LogicalTypeKind Kind { get; set; }

    /// <summary>TimestampType.isAdjustedToUTC (TIMESTAMP only).</summary>
    public bool IsAdjustedToUtc { get; set; }

    /// <summary>TimestampType.unit (TIMESTAMP only).</summary>
    public TimeUnit Unit { get; set; }

    /// <summary>IntType.bitWidth (INTEGER only).</summary>
    public int BitWidth { get; set; }

    /// <summary>IntType.isSigned (INTEGER only).</summary>
    public bool IsSigned { get; set; }

    public static LogicalType String() => new() { Kind = LogicalTypeKind.String };

    public static LogicalType Timestamp(bool isAdjustedToUtc, TimeUnit unit) =>
        new() { Kind = LogicalTypeKind.Timestamp, IsAdjustedToUtc = isAdjustedToUtc, Unit = unit };

    internal void Write(CompactProtocolWriter w)
    {
        switch (Kind)
        {
            case LogicalTypeKind.Timestamp:
                w.WriteStructField((short)Kind, tw =>
                {
                    tw.WriteBoolField(1, IsAdjustedToUtc);
                    tw.WriteStructField(2, uw => uw.WriteStructField((short)Unit, _ => { }));
                });
                break;
            case LogicalTypeKind.Integer:
                w.WriteStructField((short)Kind, iw =>
                {
                    iw.WriteByteField(1, (sbyte)BitWidth);
                    iw.WriteBoolField(2, IsSigned);
                });
                break;
            default:
                w.WriteStructField((short)Kind, _ => { }); // the other members written here are empty structs
                break;
        }
    }

    internal static LogicalType Read(CompactProtocolReader r)
    {
        LogicalType? result = null;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            if (type != CompactType.Struct || result is not null || !Enum.IsDefined((LogicalTypeKind)id))
            {
                r.Skip(type);
                continue;
            }
            var kind = (LogicalTypeKind)id;
            result = kind switch
            {
                LogicalTypeKind.Timestamp => r.ReadStruct(ReadTimestamp),
                LogicalTypeKind.Integer => r.ReadStruct(ReadInteger),
                _ => SkipBody(r, kind),
            };
        }
        return result ?? throw r.Error("LogicalType union has no member set");
    }

    private static LogicalType SkipBody(CompactProtocolReader r, LogicalTypeKind kind)
    {
        r.Skip(CompactType.Struct);
        return new LogicalType { Kind = kind };
    }

    private static LogicalType ReadTimestamp(CompactProtocolReader r)
    {
        bool? adjusted = null;
        TimeUnit? unit = null;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type is CompactType.BooleanTrue or CompactType.BooleanFalse: adjusted = r.ReadBoolField(); break;
                case 2 when type == CompactType.Struct: unit = r.ReadStruct(ReadTimeUnit); break;
                default: r.Skip(type); break;
            }
        }
        return Timestamp(adjusted ?? throw r.Error("TimestampType.isAdjustedToUTC is missing"),
            unit ?? throw r.Error("TimestampType.unit is missing"));
    }

    private static TimeUnit ReadTimeUnit(CompactProtocolReader r)
    {
        TimeUnit? unit = null;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            if (type == CompactType.Struct && id is >= 1 and <= 3 && unit is null) unit = (TimeUnit)id;
            r.Skip(type);
        }
        return unit ?? throw r.Error("TimeUnit union has no member set");
    }

    private static LogicalType ReadInteger(CompactProtocolReader r)
    {
        var t = new LogicalType { Kind = LogicalTypeKind.Integer };
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Byte: t.BitWidth = r.ReadByteValue(); break;
                case 2 when type is CompactType.BooleanTrue or CompactType.BooleanFalse: t.IsSigned = r.ReadBoolField(); break;
                default: r.Skip(type); break;
            }
        }
        return t;
    }
}
