using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Explainers.Output;
using LvlmEval.Explorer.Serving;
using LvlmEval.Imaging;
using LvlmEval.Metrics.Hallucination;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explorer.Inspection;

/// <summary>
/// One asked question and its greedy answer, with the traced forward of prompt + answer that every inspection view reads
/// (attention of every layer and head, every layer's hidden state). Switching layer, head or token reads this trace;
/// only explainers that need more (gradients, perturbations) run the model again, through the model's queue, and their
/// results are kept here.
/// </summary>
public sealed class AnswerSession
{
    /// <summary>What the inspection views read: attention maps and the residual stream, logits from the last prompt position.</summary>
    public static TraceOptions InspectionNeeds(int promptLength) => new() { LanguageAttentions = true, LanguageHiddenStates = true, LogitsFrom = promptLength - 1 };

    private AnswerSession(string id, ServedModel served, RgbImage image, string prompt, PreparedInput prepared, GenerationResult generation,
        TraceCache traces, Trace trace, double[] logProbs, int seed, string? subject)
    {
        Id = id;
        Seed = seed;
        Subject = subject;
        Served = served;
        Image = image;
        Prompt = prompt;
        Prepared = prepared;
        Generation = generation;
        Traces = traces;
        Trace = trace;
        AnswerLogProbs = logProbs;
        var model = served.Model;
        PositionTokens = trace.TokenIds.Select((id, p) => IsImage(p) ? "<image>" : ExplanationDocument.TokenText(model, id)).ToArray();
    }

    /// <summary>Session id used in the API's URLs.</summary>
    public string Id { get; }

    /// <summary>The seed the session's explainers draw from (as <c>explain --seed</c>).</summary>
    public int Seed { get; }

    /// <summary>
    /// The object a presence question asks about ("Is there a red circle in the image?"), as the sample path reads it;
    /// explainers that score a named object (internal-confidence) use it, as they do in <c>explain</c>.
    /// </summary>
    public string? Subject { get; }

    /// <summary>The model that answered.</summary>
    public ServedModel Served { get; }

    /// <summary>The image as asked (after any edit).</summary>
    public RgbImage Image { get; }

    /// <summary>The question as typed.</summary>
    public string Prompt { get; }

    /// <summary>The model input.</summary>
    public PreparedInput Prepared { get; }

    /// <summary>The greedy answer.</summary>
    public GenerationResult Generation { get; }

    /// <summary>Answer ids (EOS excluded).</summary>
    public int[] AnswerIds => Generation.TokenIds;

    /// <summary>Traced forwards of this answer, shared by the explainers run on it.</summary>
    public TraceCache Traces { get; }

    /// <summary>The inspection trace (<see cref="InspectionNeeds"/>).</summary>
    public Trace Trace { get; }

    /// <summary>log p of each answer token.</summary>
    public double[] AnswerLogProbs { get; }

    /// <summary>Text of every position of prompt + answer ("&lt;image&gt;" for image tokens).</summary>
    public string[] PositionTokens { get; }

    /// <summary>
    /// Bytes of the attention maps and hidden states of every trace the session keeps: the inspection trace and any
    /// forward an explainer ran on it later (what keeping the session costs).
    /// </summary>
    public long TraceBytes => Traces.Kept.Sum(t => 4L * (t.LanguageAttentions.Sum(a => (long)a.Length) + t.LanguageHiddenStates.Sum(h => (long)h.Length)));

    /// <summary>Position of the first answer token.</summary>
    public int AnswerStart => Prepared.TokenIds.Length;

    /// <summary>Explainer results computed so far, by explainer name.</summary>
    public ConcurrentDictionary<string, JsonObject> Explanations { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="position"/> holds an image token.</summary>
    public bool IsImage(int position) => position >= Prepared.ImageTokenStart && position < Prepared.ImageTokenStart + Prepared.ImageTokenCount;

    /// <summary>The position whose query predicts answer token <paramref name="index"/> (as the attention explainer reads it).</summary>
    public int PredictingPosition(int index) => AnswerStart + index - 1;

    /// <summary>Generates the greedy answer and runs the inspection trace; call on the model's queue.</summary>
    public static AnswerSession Create(ServedModel served, RgbImage image, string prompt, PromptTemplate template, int maxNewTokens, int seed = 0)
    {
        var model = served.Model;
        // The sample path of run and explain, without explainers: they run one at a time as the page asks (SessionExplainer).
        var input = SampleInput.Single(image, "", prompt, seed);
        var answered = new SamplePipeline(new SampleRunOptions { MaxNewTokens = maxNewTokens, Template = template, Errors = SampleErrorPolicy.Throw })
            .Run(model, input);
        var (prepared, generation) = (answered.Prepared!, answered.Generation!);
        var needs = InspectionNeeds(prepared.TokenIds.Length);
        var traces = new TraceCache(needs);
        var trace = traces.GetOrRun(needs, o => model.Forward(prepared, generation.TokenIds, o));
        var logProbs = ExplanationDocument.AnswerLogProbs(model, prepared, generation.TokenIds, traces);
        return new AnswerSession(Guid.NewGuid().ToString("N")[..16], served, image, prompt, prepared, generation, traces, trace, logProbs, seed,
            ObjectQuestion.ObjectOf(input.Sample));
    }
}
