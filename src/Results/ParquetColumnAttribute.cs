namespace LvlmEval.Results;

/// <summary>Overrides the column name of a record property (by default its name in snake_case).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ParquetColumnAttribute(string name) : Attribute
{
    /// <summary>The column name.</summary>
    public string Name { get; } = name;
}

/// <summary>Leaves a record property out of the Parquet file.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ParquetIgnoreAttribute : Attribute;
