using LvlmEval.Common.Config;

namespace LvlmEval.Models.Config;

/// <summary>How rotary frequencies are rescaled for long contexts (<c>rope_scaling</c> in config.json).</summary>
public enum RopeScalingKind
{
    /// <summary>Positions divided by the factor (inverse frequencies divided by it).</summary>
    Linear,

    /// <summary>Dynamic NTK: the base grows once the sequence exceeds <c>max_position_embeddings</c>.</summary>
    Dynamic,
}

/// <summary>A parsed <c>rope_scaling</c> entry.</summary>
public sealed record RopeScaling(RopeScalingKind Kind, double Factor)
{
    internal static RopeScaling? Read(ConfigNode text)
    {
        if (text.Mapping("rope_scaling") is not { } section) return null;
        var typeKey = section.Has("rope_type") ? "rope_type" : "type";
        var type = section.OptionalString(typeKey) ?? throw section.FieldError("rope_type", "is required in rope_scaling (\"linear\" or \"dynamic\").");
        var kind = type switch
        {
            "linear" => RopeScalingKind.Linear,
            "dynamic" => RopeScalingKind.Dynamic,
            "default" => (RopeScalingKind?)null,
            _ => throw section.FieldError(typeKey, $"\"{type}\" is not supported (supported: linear, dynamic, default)."),
        };
        if (kind is null) return null;
        if (!section.Has("factor")) throw section.FieldError("factor", "is required for linear and dynamic rope scaling.");
        return new RopeScaling(kind.Value, section.Double("factor", 1, min: 1));
    }
}
