namespace LvlmEval.Parquet;

/// <summary>The column types this library writes and reads, each a fixed physical + logical Parquet type.</summary>
public enum ParquetColumnType
{
    /// <summary>INT32; values are <see cref="int"/>.</summary>
    Int32,

    /// <summary>INT64; values are <see cref="long"/>.</summary>
    Int64,

    /// <summary>DOUBLE; values are <see cref="double"/>.</summary>
    Double,

    /// <summary>FLOAT; values are <see cref="float"/>.</summary>
    Float,

    /// <summary>BOOLEAN; values are <see cref="bool"/>.</summary>
    Boolean,

    /// <summary>BYTE_ARRAY with logical type STRING (UTF-8); values are <see cref="string"/>.</summary>
    String,

    /// <summary>INT64 with logical type TIMESTAMP; values are <see cref="DateTime"/> (written as MILLIS, UTC).</summary>
    Timestamp,
}
