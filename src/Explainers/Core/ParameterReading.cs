using LvlmEval.Common;

namespace LvlmEval.Explainers.Core;

/// <summary>Readers for parameter shapes the typed getters of <see cref="ParameterSet"/> do not cover.</summary>
internal static class ParameterReading
{
    /// <summary>An optional integer: null when absent (so "automatic" needs no sentinel in YAML).</summary>
    public static int? OptionalInt(this ParameterSet parameters, string key)
    {
        int value = parameters.Int(key, int.MinValue);
        return value == int.MinValue ? null : value;
    }
}
