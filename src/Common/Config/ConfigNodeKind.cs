namespace LvlmEval.Common.Config;

/// <summary>What a configuration node holds.</summary>
public enum ConfigNodeKind
{
    /// <summary>One value (text, number, boolean or JSON null).</summary>
    Scalar,

    /// <summary>A YAML sequence or JSON array.</summary>
    List,

    /// <summary>A YAML mapping or JSON object.</summary>
    Mapping,
}
