namespace LvlmEval.Models.Tokenization;

/// <summary>A tokenizer.json that is not valid JSON or lacks a field the tokenizer needs.</summary>
public sealed class TokenizerFormatException : FormatException
{
    public TokenizerFormatException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner) => FilePath = path;

    /// <summary>The tokenizer file (or source name) that was being read.</summary>
    public string FilePath { get; }
}

/// <summary>A tokenizer.json component (model, normalizer, pre-tokenizer, decoder, post-processor) of a type this library does not implement.</summary>
public sealed class UnsupportedTokenizerComponentException : NotSupportedException
{
    public UnsupportedTokenizerComponentException(string path, string component, string typeName)
        : base($"{path}: {component} type '{typeName}' is not supported by LvlmEval.Models.Tokenization.")
    {
        FilePath = path;
        Component = component;
        TypeName = typeName;
    }

    /// <summary>The tokenizer file (or source name) that was being read.</summary>
    public string FilePath { get; }

    /// <summary>Which part of the pipeline: "model", "normalizer", "pre_tokenizer", "decoder" or "post_processor".</summary>
    public string Component { get; }

    /// <summary>The unsupported <c>type</c> value found in the file.</summary>
    public string TypeName { get; }
}
