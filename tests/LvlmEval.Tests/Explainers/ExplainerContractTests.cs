using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// What every method promises: a map per answer token on the patch grid, a sequence map, per-position relevance for the
/// methods that score text positions, honest costs, determinism (seeded where random), batching that does not change
/// results, a shared trace that does not change results, and configuration errors that list the valid values.
/// </summary>
/// <remarks>
/// The per-method tests run every registered explainer (<see cref="ExplainerRegistry.All"/>): a new method is covered
/// as soon as it declares its registration, and <c>ComponentRegistrationTests</c> fails for one that does not.
/// </remarks>
public sealed class ExplainerContractTests
{
    // Methods known to score text positions: they must report position relevance (any other method that reports it is
    // held to the same shape).
    private static readonly string[] PositionMethods = ["attention", "rollout", "relevancy", "dexar", "head-contribution"];

    /// <summary>A method whose descriptor declares no cost reads no model: it must run no forward, and every other method at least one.</summary>
    private static bool DeclaredModelFree(string name) => ExplainerRegistry.All.Describe(name).Cost == "none";

    private static ExplainerFixture Fixture(int[]? answer = null) =>
        new(new TinyLlava { TextLayers = 3, Seed = 31, ImageSize = 35 }, answer);

    private static IExplainer Cheap(string name) => name switch
    {
        "rise" => ExplainerFixture.Create(name, ("masks", 12), ("batch_size", 5)),
        "integrated-gradients" => ExplainerFixture.Create(name, ("steps", 3)),
        _ => ExplainerFixture.Create(name),
    };

    public static IEnumerable<string> Methods() => ExplainerRegistry.All.Names;

    [TestCaseSource(nameof(Methods))]
    public void ExplainsEveryAnswerTokenAndTheSequence(string name)
    {
        using var fx = Fixture();
        var explainer = Cheap(name);
        explainer.Validate(fx.Model);
        var e = explainer.Explain(fx.Request(seed: 3));
        Assert.That(e.Explainer, Is.EqualTo(name));
        Assert.That(e.Tokens, Has.Count.EqualTo(fx.AnswerIds.Length));
        int grid = fx.Prepared.GridHeight * fx.Prepared.GridWidth, answerStart = fx.PromptIds.Length;
        for (int t = 0; t < e.Tokens.Count; t++)
        {
            var token = e.Tokens[t];
            Assert.That((token.Index, token.TokenId), Is.EqualTo((t, fx.AnswerIds[t])));
            Assert.That((token.Map.GridHeight, token.Map.GridWidth, token.Map.Values.Length), Is.EqualTo((5, 5, grid)));
            Assert.That(token.Map.Values, Has.All.Matches<float>(float.IsFinite));
            if (PositionMethods.Contains(name)) Assert.That(token.PositionRelevance, Is.Not.Null, $"{name} scores text positions");
            if (token.PositionRelevance is not null)
            {
                Assert.That(token.PositionRelevance, Has.Length.EqualTo(answerStart + t), $"{name}: relevance of positions 0 … AnswerStart + {t} − 1");
                float image = token.PositionRelevance!.Skip(fx.Prepared.ImageTokenStart).Take(fx.Prepared.ImageTokenCount).Sum(v => Math.Max(v, 0));
                float all = token.PositionRelevance!.Sum(v => Math.Max(v, 0));
                Assert.That(image / all, Is.InRange(0f, 1f), "image reliance is a share");
            }
        }
        Assert.That(e.SequenceMap.Values, Has.Length.EqualTo(grid));
        Assert.That(e.SequenceMap.Values, Has.All.Matches<float>(float.IsFinite));
        if (DeclaredModelFree(name)) Assert.That(e.Cost.Forwards, Is.Zero, $"{name} declares cost 'none'");
        else Assert.That(e.Cost.Forwards, Is.GreaterThanOrEqualTo(1), $"{name} declares a cost: {ExplainerRegistry.All.Describe(name).Cost}");
        Assert.That(e.Cost.WallTime, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public void AttentionAndRolloutRowsAreDistributions()
    {
        using var fx = Fixture();
        foreach (var name in new[] { "attention", "rollout" })
        {
            var e = ExplainerFixture.Create(name).Explain(fx.Request());
            foreach (var token in e.Tokens)
                Assert.That(token.PositionRelevance!.Sum(), Is.EqualTo(1f).Within(1e-4), $"{name}: softmax rows (and their rollout) sum to one");
        }
    }

    [Test]
    public void GradientCostsCountOneBackwardPerToken()
    {
        using var fx = Fixture();
        Assert.That(ExplainerFixture.Create("relevancy").Explain(fx.Request()).Cost, Has.Property("Backwards").EqualTo(3).And.Property("Forwards").EqualTo(1));
        Assert.That(ExplainerFixture.Create("gradcam").Explain(fx.Request()).Cost.Backwards, Is.EqualTo(4), "three tokens and the sequence");
        Assert.That(ExplainerFixture.Create("dexar").Explain(fx.Request()).Cost, Has.Property("Backwards").EqualTo(0).And.Property("Forwards").EqualTo(1));
        var occlusion = ExplainerFixture.Create("occlusion", ("window", 2), ("stride", 2)).Explain(fx.Request());
        Assert.That(occlusion.Cost.Forwards, Is.EqualTo(1 + 9), "the original and 3 × 3 windows over a 5 × 5 grid");
    }

    [Test]
    public void SingleTokenSequenceMapIsTheTokenMap()
    {
        using var fx = Fixture([7]);
        foreach (var name in new[] { "attention", "relevancy", "gradcam", "input-x-gradient", "occlusion", "random", "center" })
        {
            var e = Cheap(name).Explain(fx.Request(seed: 1));
            Assert.That(e.SequenceMap.Values, Is.EqualTo(e.Tokens[0].Map.Values), name);
        }
    }

    [TestCaseSource(nameof(Methods))]
    public void RepeatedRunsAgree(string name)
    {
        using var fx = Fixture();
        var a = Cheap(name).Explain(fx.Request(seed: 4));
        var b = Cheap(name).Explain(fx.Request(seed: 4));
        for (int t = 0; t < a.Tokens.Count; t++) Assert.That(b.Tokens[t].Map.Values, Is.EqualTo(a.Tokens[t].Map.Values));
        Assert.That(b.SequenceMap.Values, Is.EqualTo(a.SequenceMap.Values));
    }

    [TestCase("random")]
    [TestCase("rise")]
    public void SeedChangesSeededMethods(string name)
    {
        using var fx = Fixture();
        var a = Cheap(name).Explain(fx.Request(seed: 1));
        var b = Cheap(name).Explain(fx.Request(seed: 2));
        Assert.That(b.Tokens[0].Map.Values, Is.Not.EqualTo(a.Tokens[0].Map.Values));
    }

    [TestCase("occlusion")]
    [TestCase("rise")]
    public void BatchedEqualsOneByOne(string name)
    {
        using var fx = Fixture();
        (string, object?)[] common = name == "rise" ? [("masks", 10)] : [("stride", 1)];
        var batched = ExplainerFixture.Create(name, [.. common, ("batch_size", 4)]).Explain(fx.Request(seed: 9));
        var single = ExplainerFixture.Create(name, [.. common, ("batch_size", 1)]).Explain(fx.Request(seed: 9));
        for (int t = 0; t < batched.Tokens.Count; t++)
            Assert.That(batched.Tokens[t].Map.Values, Is.EqualTo(single.Tokens[t].Map.Values).Within(1e-4f), $"token {t}");
        Assert.That(batched.SequenceMap.Values, Is.EqualTo(single.SequenceMap.Values).Within(1e-4f));
        Assert.That(batched.Cost.Forwards, Is.EqualTo(single.Cost.Forwards));
    }

    [Test]
    public void SharedTraceGivesTheSameMapsWithFewerForwards()
    {
        using var fx = Fixture();
        var names = new[] { "attention", "rollout", "dexar", "head-contribution", "logit-lens", "relevancy" };
        var cache = new TraceCache();
        foreach (var name in names)
        {
            var alone = ExplainerFixture.Create(name).Explain(fx.Request());
            var shared = ExplainerFixture.Create(name).Explain(fx.Request(cache: cache));
            for (int t = 0; t < alone.Tokens.Count; t++)
                Assert.That(shared.Tokens[t].Map.Values, Is.EqualTo(alone.Tokens[t].Map.Values).Within(1e-5f), $"{name}, token {t}");
        }
        Assert.That(cache.Count, Is.LessThan(names.Length), "later explainers reuse an earlier trace that records what they need");
    }

    [Test]
    public void UnknownMethodListsTheValidOnes()
    {
        var e = Assert.Throws<ParameterException>(() => ExplainerRegistry.All.Create("gradcm"))!;
        Assert.That(e.Message, Does.Contain("gradcm").And.Contain("gradcam").And.Contain("relevancy").And.Contain("dexar"));
    }

    [Test]
    public void UnknownParameterListsTheKnownOnes()
    {
        var e = Assert.Throws<ParameterException>(() => ExplainerFixture.Create("dexar", ("last_layer", 3)))!;
        Assert.That(e.Message, Does.Contain("last_layer").And.Contain("last_layers").And.Contain("head_filter"));
    }

    [Test]
    public void BadChoiceListsTheChoices()
    {
        var e = Assert.Throws<ParameterException>(() => ExplainerFixture.Create("integrated-gradients", ("baseline", "white")))!;
        Assert.That(e.Message, Does.Contain("white").And.Contain("black, blur, mean"));
    }

    [TestCase("attention", "layers", 3, "0 … 2")]
    [TestCase("attention", "heads", 4, "0 … 3")]
    [TestCase("attention", "layers", -4, "0 … 2")]
    [TestCase("logit-lens", "layers", 7, "0 … 2")]
    [TestCase("gradcam", "layer", 9, "0 … 2")]
    [TestCase("dexar", "last_layers", 4, "1 … 3")]
    [TestCase("occlusion", "window", 6, "1 … 5")]
    public void OutOfRangeIndexFailsAtValidationListingTheRange(string name, string key, int value, string range)
    {
        using var fx = Fixture();
        var explainer = ExplainerFixture.Create(name, (key, value));
        var e = Assert.Throws<ParameterException>(() => explainer.Validate(fx.Model))!;
        Assert.That(e.Message, Does.Contain(key).And.Contain(value.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain(range));
    }

    [Test]
    public void HeadContributionValidatesLayerAndHead()
    {
        using var fx = Fixture();
        var e = Assert.Throws<ParameterException>(() => ExplainerFixture.Create("head-contribution", ("layer", 1), ("head", 4)).Validate(fx.Model))!;
        Assert.That(e.Message, Does.Contain("'head'").And.Contain("0 … 3"));
        Assert.Throws<ParameterException>(() => ExplainerFixture.Create("head-contribution", ("layer", 1)));
        Assert.DoesNotThrow(() => ExplainerFixture.Create("head-contribution", ("layer", -1), ("head", 3)).Validate(fx.Model));
    }
}
