using LvlmEval.Datasets;
using LvlmEval.Explorer;
using LvlmEval.Explorer.Inspection;
using LvlmEval.Explorer.Serving;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Bench.Explorer;

/// <summary>
/// Server time of the explorer's inspection views on the shipped Shapes model (every layer × head-or-mean × token,
/// the head summary, the reverse view, the logit lens), read from a session's cached trace, against the traced
/// forward a view would need without the cache. The issue's budget: ≤ 100 ms per switch.
/// </summary>
public sealed class ExplorerViewsBenchmark : IBenchmark
{
    public string Name => "explorer-views";
    public string Description => "explorer inspection views from the cached trace vs. a new attention-traced forward (tiny-llava-shapes)";

    public void Run()
    {
        string folder = Path.Combine(RepoRoot(), "models", "tiny-llava-shapes");
        var model = LlavaModel.Load(folder);
        var served = new ServedModel("tiny-llava-shapes", folder, model);
        var sample = DatasetReader.Read(DatasetRegistry.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;
        var session = AnswerSession.Create(served, sample.Image.Load(), sample.Prompt, PromptTemplate.Auto, 4);
        int layers = model.Language.NumLayers, heads = model.Config.Text.NumHeads, answer = session.AnswerIds.Length;
        int switches = layers * (heads + 1) * (answer + 1);

        double forward = Timing.MedianSeconds(() => model.Forward(session.Prepared, session.AnswerIds,
            AnswerSession.InspectionNeeds(session.Prepared.TokenIds.Length)), warmup: 2, repeats: 9);
        double all = Timing.MedianSeconds(() =>
        {
            for (int l = 0; l < layers; l++)
                for (int h = -1; h < heads; h++)
                    for (int t = -1; t < answer; t++) AttentionViews.Forward(session, l, h, t);
        }, warmup: 3, repeats: 9);
        double summary = Timing.MedianSeconds(() => AttentionViews.HeadSummary(session, -1), warmup: 3, repeats: 9);
        double reverse = Timing.MedianSeconds(() => AttentionViews.Reverse(session, layers - 1, -1, [0, 5, 10]), warmup: 3, repeats: 9);
        double lens = Timing.MedianSeconds(() => LogitLensTable.At(session, 0, 5), warmup: 3, repeats: 9);

        Console.WriteLine($"sequence {session.Trace.TokenIds.Length} tokens, {layers} layers × {heads} heads, answer {answer} tokens");
        Console.WriteLine($"{"view",-44} {"median ms",10} {"vs forward",11}");
        Row("attention (layer, head, token), one switch", all / switches, forward);
        Row("head summary (layers × heads)", summary, forward);
        Row("reverse view (3 patches)", reverse, forward);
        Row("logit lens (top 5, every layer)", lens, forward);
        Row("new traced forward (attention + hidden)", forward, forward);
        Row("HTTP round trip of one switch (localhost)", RoundTrip(folder, sample.Image.Load(), sample.Prompt, layers, heads), forward);
    }

    // The whole path a page's switch takes: request, routing, view, JSON, response, on 127.0.0.1.
    private static double RoundTrip(string folder, LvlmEval.Imaging.RgbImage image, string prompt, int layers, int heads)
    {
        var server = ExplorerServer.Create(new ExplorerOptions { Models = [folder], Host = "127.0.0.1", Port = 0 });
        server.StartAsync().GetAwaiter().GetResult();
        try
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            using var form = new MultipartFormDataContent
            {
                { new StringContent(prompt), "prompt" },
                { new ByteArrayContent(LvlmEval.Imaging.Codecs.PngCodec.Encode(image)), "image", "scene.png" },
            };
            var ask = System.Text.Json.Nodes.JsonNode.Parse(client.PostAsync("/api/ask", form).GetAwaiter().GetResult().Content.ReadAsStringAsync().GetAwaiter().GetResult())!;
            string id = (string)ask["session"]!;
            int i = 0;
            return Timing.MedianSeconds(() =>
            {
                int l = i % layers, h = i / layers % (heads + 1) - 1;
                i++;
                client.GetStringAsync($"/api/sessions/{id}/attention?layer={l}&head={h}&token=-1").GetAwaiter().GetResult();
            }, warmup: 20, repeats: 101);
        }
        finally
        {
            server.StopAsync().GetAwaiter().GetResult();
        }
    }

    private static void Row(string name, double seconds, double forward) =>
        Console.WriteLine($"{name,-44} {seconds * 1000,10:F3} {forward / seconds,10:F0}×");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LvlmEval.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LvlmEval.sln not found");
    }
}
