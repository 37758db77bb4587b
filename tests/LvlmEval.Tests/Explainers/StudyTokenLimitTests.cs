using LvlmEval.Tools;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// The two explainer studies refuse an answer limit below one token as <c>explain</c> does (same message), before any
/// model is loaded, instead of running with it or silently raising it to one.
/// </summary>
public sealed class StudyTokenLimitTests
{
    [TestCase("0")]
    [TestCase("-3")]
    public void BothStudiesRejectATokenLimitBelowOne(string value)
    {
        string[] args = ["--model", "no-such-model-folder", "--max-new-tokens", value];
        Assert.That(() => ExplainersPointingCommand.Run(args, TextWriter.Null),
            Throws.ArgumentException.With.Message.EqualTo("--max-new-tokens must be ≥ 1"));
        Assert.That(() => ExplainersRandomisationCommand.Run(args, TextWriter.Null),
            Throws.ArgumentException.With.Message.EqualTo("--max-new-tokens must be ≥ 1"));
    }
}
