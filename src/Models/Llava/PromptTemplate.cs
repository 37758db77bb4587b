using LvlmEval.Models.Tokenization;

namespace LvlmEval.Models.Llava;

/// <summary>How a question becomes the model's prompt text.</summary>
public enum PromptTemplate
{
    /// <summary>Chosen from the checkpoint: <see cref="ChatMl"/> when the tokenizer knows <c>&lt;|im_start|&gt;</c>, else <see cref="Llava"/>.</summary>
    Auto,

    /// <summary>llava-1.5: <c>USER: &lt;image&gt;\n{q} ASSISTANT:</c>.</summary>
    Llava,

    /// <summary>Qwen ChatML: <c>&lt;|im_start|&gt;user\n&lt;image&gt;\n{q}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>.</summary>
    ChatMl,

    /// <summary>The prompt is used as given; it must contain <c>&lt;image&gt;</c> once.</summary>
    None,
}

/// <summary>Renders <see cref="PromptTemplate"/>s.</summary>
public static class PromptTemplates
{
    /// <summary>The image placeholder in prompt text.</summary>
    public const string ImagePlaceholder = "<image>";

    /// <summary>The names templates go by in experiment files, flags and the explorer's API.</summary>
    public static readonly string[] Names = ["auto", "llava", "chatml", "none"];

    /// <summary>auto|llava|chatml|none (any case), or null.</summary>
    public static PromptTemplate? Parse(string text) => text.ToLowerInvariant() switch
    {
        "auto" => PromptTemplate.Auto,
        "llava" => PromptTemplate.Llava,
        "chatml" => PromptTemplate.ChatMl,
        "none" => PromptTemplate.None,
        _ => null,
    };

    /// <summary>Resolves <see cref="PromptTemplate.Auto"/> for a tokenizer.</summary>
    public static PromptTemplate Resolve(PromptTemplate template, Tokenizer tokenizer) =>
        template != PromptTemplate.Auto ? template
        : tokenizer.TokenToId("<|im_start|>") is not null ? PromptTemplate.ChatMl : PromptTemplate.Llava;

    /// <summary>The prompt text for <paramref name="question"/> (before the tokenizer adds BOS).</summary>
    public static string Render(PromptTemplate template, string question) => template switch
    {
        PromptTemplate.Llava => $"USER: {ImagePlaceholder}\n{question} ASSISTANT:",
        PromptTemplate.ChatMl => $"<|im_start|>user\n{ImagePlaceholder}\n{question}<|im_end|>\n<|im_start|>assistant\n",
        PromptTemplate.None => question,
        _ => throw new ArgumentException("Resolve PromptTemplate.Auto with a tokenizer first.", nameof(template)),
    };
}
