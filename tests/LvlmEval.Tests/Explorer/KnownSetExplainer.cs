using LvlmEval.Explainers;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// A stand-in for an explanation-set method (CLEANN's output form: 1 for patches and words in the set, 0 elsewhere)
/// with a set fixed in advance: patches 0 and 5, and the first text token after the image.
/// </summary>
public sealed class KnownSetExplainer : IExplainer
{
    public const string Name = "test-known-set";
    public static readonly int[] Patches = [0, 5];

    string IExplainer.Name => Name;

    public Explanation Explain(ExplainRequest request)
    {
        var p = request.Prepared;
        var values = new float[p.GridHeight * p.GridWidth];
        foreach (int i in Patches) values[i] = 1;
        var map = new PatchMap(p.GridHeight, p.GridWidth, values);
        var tokens = request.AnswerIds.Select((id, t) =>
        {
            var text = new float[p.TokenIds.Length + t];
            text[p.ImageTokenStart + p.ImageTokenCount] = 1;
            return new TokenExplanation(t, id, map, text);
        }).ToList();
        return new Explanation { Explainer = Name, Tokens = tokens, SequenceMap = map, Cost = ExplainerCost.None };
    }
}
