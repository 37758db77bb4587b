using LvlmEval.Tests.Harness;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// The runs endpoints against the run reader's rows of the fixture's run (read here with <c>RunResults</c>): every
/// sample is listed, filters select the rows whose fields match, and a sample's details carry its scores and maps
/// and its image decodes at the dataset image's size.
/// </summary>
public sealed class RunApiTests
{
    [Test]
    public async Task ListFiltersAndDetailsFollowTheRunTables()
    {
        var rows = HarnessFixture.Read(ExplorerFixture.RunFolder);
        var (status, list, text) = await ExplorerFixture.Get("/api/runs/run/samples");
        Assert.That(status, Is.EqualTo(200), text);
        Assert.That((int)list!["total"]!, Is.EqualTo(rows.Samples.Count).And.EqualTo(4));

        var (_, correct, _) = await ExplorerFixture.Get("/api/runs/run/samples?correct=true");
        Assert.That((int)correct!["matched"]!, Is.EqualTo(rows.Samples.Count(s => s.TaskScore >= 0.5)));
        var (_, wrong, _) = await ExplorerFixture.Get("/api/runs/run/samples?correct=false");
        Assert.That((int)wrong!["matched"]!, Is.EqualTo(rows.Samples.Count(s => s.TaskScore < 0.5)));

        var auc = rows.Scores.First(s => s.Explainer == "relevancy" && s.Metric.StartsWith("deletion_auc", StringComparison.Ordinal) && s.TokenIndex == -1).Metric;
        var deletion = rows.Scores.Where(s => s.Explainer == "relevancy" && s.Metric == auc && s.TokenIndex == -1).Select(s => s.Value).ToList();
        Assert.That(deletion, Has.Count.EqualTo(4), "the run scored deletion for every sample");
        double median = deletion.Order().ElementAt(2);
        var (_, hits, _) = await ExplorerFixture.Get($"/api/runs/run/samples?explainer=relevancy&metric={auc}&min={median.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}&max=1");
        Assert.That((int)hits!["matched"]!, Is.EqualTo(deletion.Count(v => v >= median && v <= 1)));
        var (_, none, _) = await ExplorerFixture.Get("/api/runs/run/samples?model=other");
        Assert.That((int)none!["matched"]!, Is.EqualTo(0));

        var first = rows.Samples[0];
        var (_, sample, _) = await ExplorerFixture.Get("/api/runs/run/samples/0");
        Assert.That((string?)sample!["sample_id"], Is.EqualTo(first.SampleId));
        Assert.That((string?)sample["answer"], Is.EqualTo(first.Answer));
        Assert.That(sample["scores"]!.AsArray(), Has.Count.EqualTo(rows.Scores.Count(s => s.SampleId == first.SampleId && s.Model == first.Model)));
        Assert.That(sample["maps"]!.AsArray().Select(m => (string)m!["explainer"]!).Distinct(), Is.EquivalentTo(new[] { "attention", "relevancy" }));
        var png = await ExplorerFixture.Client.GetByteArrayAsync((string)sample["image_url"]!);
        var image = LvlmEval.Imaging.Codecs.PngCodec.Decode(png, "sample");
        Assert.That(image.Width, Is.GreaterThan(0));

        Assert.That((await ExplorerFixture.Get("/api/runs/run/samples/99")).Status, Is.EqualTo(404));
        Assert.That((await ExplorerFixture.Get("/api/runs/nope/samples")).Status, Is.EqualTo(404));
        Assert.That((await ExplorerFixture.Get("/api/runs/run/samples?min=abc")).Status, Is.EqualTo(400));
    }
}
