using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;

namespace LvlmEval.Training;

/// <summary>
/// A word-level <c>tokenizer.json</c> covering every word of the Shapes prompts and answers: special tokens
/// <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c> (BOS, added by the template post-processor), <c>&lt;/s&gt;</c> (EOS),
/// <c>&lt;pad&gt;</c> and <c>&lt;image&gt;</c>, then the words in ordinal order. Pre-tokenised by <c>Whitespace</c>
/// (runs of word characters, runs of punctuation), so each answer is one token.
/// </summary>
public static partial class ShapesTokenizerFile
{
    public const int UnknownId = 0, BosId = 1, EosId = 2, PadId = 3, ImageTokenId = 4;

    private static readonly string[] Specials = ["<unk>", "<s>", "</s>", "<pad>", PromptTemplates.ImagePlaceholder];

    [GeneratedRegex(@"\w+|[^\w\s]+")]
    private static partial Regex Pieces();

    /// <summary>The words of every Shapes prompt (under the LLaVA template with the loader's instruction) and answer.</summary>
    public static SortedSet<string> Words()
    {
        var texts = new List<string>
        {
            PromptTemplates.Render(PromptTemplate.Llava, "x"), ShapesLoader.DefaultInstruction,
        };
        texts.AddRange(ShapeVocabulary.Colors.Select(c => c.Name));
        texts.AddRange(ShapeVocabulary.Shapes.Select(ShapeVocabulary.Name));
        texts.AddRange(ShapeVocabulary.Numbers);
        texts.AddRange(["yes", "no"]);
        // Every question template, asked about enough random scenes to meet each wording.
        var rng = new Random(12345);
        for (int i = 0; i < 400; i++)
        {
            var scene = SceneGenerator.Generate(rng, new SceneOptions());
            foreach (var type in QuestionGenerator.Types)
                if (QuestionGenerator.Make(type, scene, rng) is { } q) texts.Add(q.Text);
        }
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (Match m in Pieces().Matches(text.Replace(PromptTemplates.ImagePlaceholder, " ", StringComparison.Ordinal)))
                if (m.Value != "x") words.Add(m.Value);
        return words;
    }

    /// <summary>The tokenizer.json document.</summary>
    public static JsonObject Build()
    {
        var vocab = new JsonObject();
        for (int i = 0; i < Specials.Length; i++) vocab[Specials[i]] = i;
        int next = Specials.Length;
        foreach (var word in Words()) vocab[word] = next++;
        var added = new JsonArray();
        for (int i = 0; i < Specials.Length; i++)
            added.Add(new JsonObject
            {
                ["id"] = i, ["content"] = Specials[i], ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            });
        static JsonObject Special(string id) => new() { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
        static JsonObject Sequence(string id) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Special("<s>"), Sequence("A")),
                ["pair"] = new JsonArray(Special("<s>"), Sequence("A"), Special("<s>"), Sequence("B")),
                ["special_tokens"] = new JsonObject
                {
                    ["<s>"] = new JsonObject { ["id"] = "<s>", ["ids"] = new JsonArray(BosId), ["tokens"] = new JsonArray("<s>") },
                },
            },
            ["decoder"] = null,
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = "<unk>" },
        };
    }

    /// <summary>Number of tokens in the vocabulary <see cref="Build"/> writes.</summary>
    public static int VocabularySize => Specials.Length + Words().Count;
}
