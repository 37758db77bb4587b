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
    internal static RopeScaling? Read(ConfigSection text)
    {
        var section = text.Child("rope_scaling");
        if (!section.Exists) return null;
        var type = section.OptionalString("rope_type") ?? section.OptionalString("type")
            ?? throw section.Error("rope_type", "is required in rope_scaling (\"linear\" or \"dynamic\").");
        var kind = type switch
        {
            "linear" => RopeScalingKind.Linear,
            "dynamic" => RopeScalingKind.Dynamic,
            "default" => (RopeScalingKind?)null,
            _ => throw section.Error("rope_type", $"\"{type}\" is not supported (supported: linear, dynamic, default)."),
        };
        if (kind is null) return null;
        if (!section.Has("factor")) throw section.Error("factor", "is required for linear and dynamic rope scaling.");
        double factor = section.Double("factor", 1);
        if (factor < 1) throw section.Error("factor", $"must be ≥ 1, got {factor}.");
        return new RopeScaling(kind.Value, factor);
    }
}
