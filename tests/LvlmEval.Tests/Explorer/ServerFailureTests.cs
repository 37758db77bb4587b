using LvlmEval.Explainers;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// A failure inside the server (here an explainer that throws with a multi-line message) answers 500 with one line
/// naming the exception, never its stack trace or later lines, and the server answers the next request.
/// </summary>
public sealed class ServerFailureTests
{
    private sealed class ThrowingExplainer : IExplainer
    {
        public string Name => "test-throws";
        public Explanation Explain(ExplainRequest request) => throw new InvalidOperationException("the method broke\n   at Secret.Internals()");
    }

    [Test]
    public async Task InternalFailureIsOneLineAndTheServerKeepsServing()
    {
        ExplainerRegistry.Register("test-throws", _ => new ThrowingExplainer());
        try
        {
            var ask = await ExplorerFixture.AskScene();
            var (status, body, text) = await ExplorerFixture.Post($"/api/sessions/{(string)ask["session"]!}/explain?explainer=test-throws", null);
            Assert.That(status, Is.EqualTo(500), text);
            Assert.That((string?)body!["error"], Is.EqualTo("internal error (InvalidOperationException): the method broke"));
            Assert.That(text, Does.Not.Contain("Secret"));
            var fields = new[] { ("model", "tiny-llava-shapes"), ("prompt", ExplorerFixture.Scene.Prompt), ("explainer", "test-throws") };
            var (explainStatus, _, explainText) = await ExplorerFixture.Post("/api/explain", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", fields));
            Assert.That(explainStatus, Is.EqualTo(500));
            Assert.That(explainText, Does.Not.Contain("Secret"));
        }
        finally
        {
            ExplainerRegistry.Unregister("test-throws");
        }
        var again = await ExplorerFixture.AskScene();
        Assert.That((await ExplorerFixture.Get($"/api/sessions/{(string)again["session"]!}/attention")).Status, Is.EqualTo(200));
    }
}
