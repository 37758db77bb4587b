using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Explorer.Inspection;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// The inspection endpoints against a traced forward run here (whose attention maps and hidden states
/// LlavaParityTests check against PyTorch): raw attention of (layer, head, token) and its mean over heads, the head
/// summary, the reverse view and the logit lens; switching layer, head and token runs no new forward; image edits
/// change exactly the rectangle.
/// </summary>
public sealed class InspectApiTests
{
    private static LlavaModel? _model;
    private static LlavaModel Model => _model ??= LlavaModel.Load(ExplorerFixture.ShapesModel);

    // The reference: prompt + the served answer, traced with attention and hidden states.
    private static (Trace Trace, PreparedInput Prepared) Reference(JsonObject ask)
    {
        var prepared = Model.Prepare(ExplorerFixture.Scene.Image, ExplorerFixture.Scene.Prompt);
        var answer = ask["answer_tokens"]!.AsArray().Select(t => (int)t!["token_id"]!).ToArray();
        return (Model.Forward(prepared, answer, new TraceOptions { LanguageAttentions = true, LanguageHiddenStates = true }), prepared);
    }

    [Test]
    public async Task AttentionOfLayerHeadAndTokenIsTheTracedRow()
    {
        var ask = await ExplorerFixture.AskScene();
        string id = (string)ask["session"]!;
        var (trace, prepared) = Reference(ask);
        int answer = ask["answer_tokens"]!.AsArray().Count, layers = (int)ask["layers"]!, heads = (int)ask["heads"]!, s = trace.TokenIds.Length;
        int w = prepared.GridWidth;
        Assert.That(answer, Is.GreaterThan(0));
        foreach (var (layer, head, token) in new[] { (0, 0, 0), (layers - 1, heads - 1, answer - 1), (1, -1, 0), (0, 2, -1), (1, -1, -1) })
        {
            var (status, body, text) = await ExplorerFixture.Get($"/api/sessions/{id}/attention?layer={layer}&head={head}&token={token}");
            Assert.That(status, Is.EqualTo(200), text);
            var a = trace.LanguageAttentions[layer].Detach().Data.ToArray();
            int[] rows = token == -1 ? Enumerable.Range(0, answer).Select(t => prepared.TokenIds.Length + t - 1).ToArray() : [prepared.TokenIds.Length + token - 1];
            int[] hs = head == -1 ? Enumerable.Range(0, heads).ToArray() : [head];
            double Expected(int key) => rows.Average(q => hs.Average(h => (double)a[(h * s + q) * s + key]));
            var map = body!["image_map"]!.AsArray();
            for (int r = 0; r < prepared.GridHeight; r++)
                for (int c = 0; c < w; c++)
                    Assert.That((double)map[r]![c]!, Is.EqualTo(Expected(prepared.PatchTokenStart + r * w + c)).Within(1e-6), $"layer {layer} head {head} token {token} patch ({r},{c})");
            foreach (var entry in body["text"]!.AsArray())
                Assert.That((double)entry!["value"]!, Is.EqualTo(Expected((int)entry["position"]!)).Within(1e-6));
            var positions = body["text"]!.AsArray().Select(e => (int)e!["position"]!).ToArray();
            Assert.That(positions, Has.None.InRange(prepared.ImageTokenStart, prepared.ImageTokenStart + prepared.ImageTokenCount - 1), "image tokens are on the map, not in the text bars");
        }
    }

    [Test]
    public async Task HeadSummaryReverseViewAndLogitLensMatchTheTrace()
    {
        var ask = await ExplorerFixture.AskScene();
        string id = (string)ask["session"]!;
        var (trace, prepared) = Reference(ask);
        int s = trace.TokenIds.Length, q = prepared.TokenIds.Length - 1;

        var (_, heads, _) = await ExplorerFixture.Get($"/api/sessions/{id}/heads?token=0");
        var grid = heads!["image_mass"]!.AsArray();
        Assert.That(grid, Has.Count.EqualTo(trace.LanguageAttentions.Count));
        for (int l = 0; l < grid.Count; l++)
            for (int h = 0; h < grid[l]!.AsArray().Count; h++)
            {
                var a = trace.LanguageAttentions[l].Detach().Data;
                double mass = 0;
                for (int k = 0; k < prepared.ImageTokenCount; k++) mass += a[(h * s + q) * s + prepared.ImageTokenStart + k];
                Assert.That((double)grid[l]![h]!, Is.EqualTo(mass).Within(1e-5));
            }

        var (_, reverse, _) = await ExplorerFixture.Get($"/api/sessions/{id}/reverse?layer=1&head=3&patches=0,5");
        var att = trace.LanguageAttentions[1].Detach().Data.ToArray();
        foreach (var entry in reverse!["tokens"]!.AsArray())
        {
            int query = (string)entry!["kind"]! == "answer" ? prepared.TokenIds.Length + (int)entry["answer_index"]! - 1 : (int)entry["position"]!;
            double expected = att[(3 * s + query) * s + prepared.PatchTokenStart] + att[(3 * s + query) * s + prepared.PatchTokenStart + 5];
            Assert.That((double)entry["value"]!, Is.EqualTo(expected).Within(1e-6));
        }

        // The last row of the lens is the model's own output distribution: its top token is the greedy answer token
        // and its probability is the answer's log-prob, exponentiated.
        var (_, lens, _) = await ExplorerFixture.Get($"/api/sessions/{id}/logit-lens?token=0&k=3");
        var last = lens!["rows"]!.AsArray()[^1]!;
        Assert.That(lens["rows"]!.AsArray(), Has.Count.EqualTo(trace.LanguageHiddenStates.Count));
        Assert.That((int)last["top"]![0]!["token_id"]!, Is.EqualTo((int)ask["answer_tokens"]![0]!["token_id"]!));
        Assert.That((double)last["answer_token_probability"]!, Is.EqualTo(Math.Exp((double)ask["answer_tokens"]![0]!["log_prob"]!)).Within(1e-5));
        Assert.That((int)last["answer_token_rank"]!, Is.EqualTo(1));
    }

    [Test]
    public async Task SwitchingLayerHeadAndTokenRunsNoNewForward()
    {
        var ask = await ExplorerFixture.AskScene();
        string id = (string)ask["session"]!;
        var session = ExplorerFixture.Server.State.Session(id);
        Assert.That(session.Traces.Count, Is.EqualTo(1), "asking runs one traced forward");
        for (int layer = 0; layer < (int)ask["layers"]!; layer++)
            for (int head = -1; head < (int)ask["heads"]!; head++)
            {
                Assert.That((await ExplorerFixture.Get($"/api/sessions/{id}/attention?layer={layer}&head={head}&token=-1")).Status, Is.EqualTo(200));
                Assert.That((await ExplorerFixture.Get($"/api/sessions/{id}/reverse?layer={layer}&head={head}&patches=1")).Status, Is.EqualTo(200));
            }
        Assert.That((await ExplorerFixture.Get($"/api/sessions/{id}/heads?token=0")).Status, Is.EqualTo(200));
        Assert.That((await ExplorerFixture.Get($"/api/sessions/{id}/logit-lens?token=0")).Status, Is.EqualTo(200));
        Assert.That(session.Traces.Count, Is.EqualTo(1), "every view read the cached trace");
    }

    [Test]
    public async Task SessionExplainersDrawFromTheAskedSeedAsExplainDoes()
    {
        const string seed = "424242";
        var ask = await ExplorerFixture.AskScene(("seed", seed));
        Assert.That((int)ask["seed"]!, Is.EqualTo(int.Parse(seed)));
        var (status, body, text) = await ExplorerFixture.Post($"/api/sessions/{(string)ask["session"]!}/explain?explainer=random", null);
        Assert.That(status, Is.EqualTo(200), text);
        var fields = new[] { ("model", "tiny-llava-shapes"), ("prompt", ExplorerFixture.Scene.Prompt), ("max_new_tokens", "4"), ("explainer", "random"), ("seed", seed) };
        var (_, doc, _) = await ExplorerFixture.Post("/api/explain", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", fields));
        var unseeded = await ExplorerFixture.Post("/api/explain", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", fields[..^1]));
        Assert.That(body!["sequence_map"]!.ToJsonString(), Is.EqualTo(doc!["explainers"]!["random"]!["sequence_map"]!.ToJsonString()), "the session's random map is explain's with the same seed");
        Assert.That(body["sequence_map"]!.ToJsonString(), Is.Not.EqualTo(unseeded.Body!["explainers"]!["random"]!["sequence_map"]!.ToJsonString()), "and not the default seed's");
    }

    [Test]
    public async Task ExplainerOnDemandEqualsTheDocumentsEntryAndReportsItsCost()
    {
        var ask = await ExplorerFixture.AskScene();
        string id = (string)ask["session"]!;
        var (status, body, text) = await ExplorerFixture.Post($"/api/sessions/{id}/explain?explainer=relevancy", null);
        Assert.That(status, Is.EqualTo(200), text);
        Assert.That((int)body!["cost"]!["backwards"]!, Is.GreaterThan(0), "relevancy backpropagates");
        var fields = new[] { ("model", "tiny-llava-shapes"), ("prompt", ExplorerFixture.Scene.Prompt), ("max_new_tokens", "4"), ("explainer", "relevancy") };
        var (_, doc, _) = await ExplorerFixture.Post("/api/explain", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", fields));
        var expected = doc!["explainers"]!["relevancy"]!;
        // The first request costs no more model calls than the same explain call (it reuses the session's trace where it can).
        Assert.That((double)body["cost"]!["forwards"]!, Is.LessThanOrEqualTo((double)expected["cost"]!["forwards"]!));
        Assert.That((int)body["cost"]!["backwards"]!, Is.LessThanOrEqualTo((int)expected["cost"]!["backwards"]!));
        Assert.That(body["sequence_map"]!.ToJsonString(), Is.EqualTo(expected["sequence_map"]!.ToJsonString()));
        for (int t = 0; t < expected["tokens"]!.AsArray().Count; t++)
            Assert.That(body["tokens"]![t]!["map"]!.ToJsonString(), Is.EqualTo(expected["tokens"]![t]!["map"]!.ToJsonString()));
        Assert.That(body["tokens"]![0]!["text_relevance"]!.AsArray(), Is.Not.Empty, "relevancy scores the text positions");
        var (bad, error, _) = await ExplorerFixture.Post($"/api/sessions/{id}/explain?explainer=shap", null);
        Assert.That(bad, Is.EqualTo(400));
        Assert.That((string?)error!["error"], Does.Contain("unknown explainer 'shap'; valid explainers: "));
        foreach (var name in ExplainerRegistry.All.Names) Assert.That((string?)error["error"], Does.Contain(name), "lists the valid explainers");
    }

    [Test]
    public async Task SessionExplainerOfAPresenceQuestionUsesItsSubjectAsExplainDoes()
    {
        // internal-confidence maps the asked object's own confidence when the prompt names one ("Is there a red circle
        // in the image?"); the session's explainer must see the same subject as /api/explain, so both entries agree.
        const string prompt = "Is there a red circle in the image?";
        var fields = new[] { ("model", "tiny-llava-shapes"), ("prompt", prompt), ("max_new_tokens", "4") };
        var (askStatus, ask, askText) = await ExplorerFixture.Post("/api/ask", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", fields));
        Assert.That(askStatus, Is.EqualTo(200), askText);
        var (status, body, text) = await ExplorerFixture.Post($"/api/sessions/{(string)ask!["session"]!}/explain?explainer=internal-confidence", null);
        Assert.That(status, Is.EqualTo(200), text);
        var (explainStatus, doc, explainText) = await ExplorerFixture.Post("/api/explain",
            ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", [.. fields, ("explainer", "internal-confidence")]));
        Assert.That(explainStatus, Is.EqualTo(200), explainText);
        var expected = doc!["explainers"]!["internal-confidence"]!;
        Assert.That(body!["sequence_map"]!.ToJsonString(), Is.EqualTo(expected["sequence_map"]!.ToJsonString()));
    }

    [TestCase("mask-black")]
    [TestCase("mask-mean")]
    [TestCase("mask-blur")]
    [TestCase("crop")]
    public async Task EditChangesExactlyTheRectangle(string kind)
    {
        var original = ExplorerFixture.Scene.Image;
        int x = original.Width / 4, y = original.Height / 4, w = original.Width / 2, h = original.Height / 3;
        var ask = await ExplorerFixture.AskScene(("edit", kind), ("edit_x", x.ToString()), ("edit_y", y.ToString()), ("edit_width", w.ToString()), ("edit_height", h.ToString()));
        var bytes = await ExplorerFixture.Client.GetByteArrayAsync((string)ask["image_url"]!);
        var edited = PngCodec.Decode(bytes, "edited");
        if (kind == "crop")
        {
            Assert.That((edited.Width, edited.Height), Is.EqualTo((w, h)));
            for (int r = 0; r < h; r++) Assert.That(edited.Row(r).ToArray(), Is.EqualTo(original.Row(y + r).Slice(x * 3, w * 3).ToArray()));
            return;
        }
        var mean = Enumerable.Range(0, 3).Select(c => (byte)(Enumerable.Range(0, original.Width * original.Height).Sum(i => (long)original.Pixels[i * 3 + c]) / (original.Width * original.Height))).ToArray();
        int changedInside = 0;
        for (int r = 0; r < original.Height; r++)
            for (int c = 0; c < original.Width; c++)
            {
                bool inside = c >= x && c < x + w && r >= y && r < y + h;
                var got = edited.Row(r).Slice(c * 3, 3).ToArray();
                var was = original.Row(r).Slice(c * 3, 3).ToArray();
                if (!inside) { Assert.That(got, Is.EqualTo(was), $"({c},{r}) outside the rectangle"); continue; }
                if (kind == "mask-black") Assert.That(got, Is.EqualTo(new byte[3]));
                if (kind == "mask-mean") Assert.That(got, Is.EqualTo(mean));
                if (!got.SequenceEqual(was)) changedInside++;
            }
        Assert.That(changedInside, Is.GreaterThan(0), "the rectangle changed");
        Assert.That((string?)ask["edit"]!["kind"], Is.EqualTo(kind));
    }
}
