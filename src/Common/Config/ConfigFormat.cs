namespace LvlmEval.Common.Config;

/// <summary>The syntax of a configuration file.</summary>
public enum ConfigFormat
{
    /// <summary>YAML (experiments): every scalar is text, typed when read.</summary>
    Yaml,

    /// <summary>JSON (Hugging Face configs, manifests): strings, numbers and booleans are distinct; <c>null</c> reads as absent.</summary>
    Json,
}
