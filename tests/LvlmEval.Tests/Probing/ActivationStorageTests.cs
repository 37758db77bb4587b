using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;
using LvlmEval.Probing.Extraction;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Probing;

/// <summary>
/// The activations table read back by independent readers: DuckDB (list&lt;float&gt; vectors and labels), Python's sqlite3 +
/// numpy for the VLM-LENS-style database; and resuming: a second extraction skips finished samples and a half-written
/// part (a .tmp file) is never read.
/// </summary>
public sealed class ActivationStorageTests
{
    private static List<DatasetEntry> Shapes(int images) => DatasetReader.Read(new ShapesLoader(),
        new DatasetOptions { Root = "", Split = "test", Settings = new Dictionary<string, string> { ["images"] = images.ToString(), ["pair_every"] = "0" } }).ToList();

    [Test]
    public void DuckDbAndSqliteReadWhatWasExtractedAndResumeSkipsFinishedSamples()
    {
        using var dir = new TempDir("probing-storage");
        var model = LlavaModel.Load(Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes"));
        var entries = Shapes(3);
        var settings = new ExtractionSettings
        {
            Layers = ["multi_modal_projector", "language_model.model.layers.1"], Poolings = [Pooling.ImageMean, Pooling.TextLast],
            ChunkSamples = 4, SqlitePath = dir.File("acts.db"),
        };
        var first = ActivationExtraction.Run(dir.Path, "run-1", "tiny", model, "shapes", entries, PromptTemplate.Auto, settings, TextWriter.Null);
        int samples = entries.Count;
        Assert.That((first.Extracted, first.Skipped, first.Failed), Is.EqualTo((samples, 0, 0)));
        // Projector: image-mean only; language layer: both poolings.
        Assert.That(first.Rows, Is.EqualTo(samples * 3));
        var table = new ActivationTable(dir.Path);
        Assert.That(table.Parts(), Has.Count.EqualTo((samples + 3) / 4), "one part per chunk of 4 samples");

        var ours = table.ReadAll().OrderBy(r => r.SampleId, StringComparer.Ordinal).ThenBy(r => r.Layer, StringComparer.Ordinal).ThenBy(r => r.Pooling, StringComparer.Ordinal).ToList();
        using var duck = new DuckDb();
        var duckRows = duck.Query($"SELECT sample_id, layer, pooling, dim, colour, vector FROM read_parquet('{Path.Combine(table.Folder, "*.parquet").Replace("'", "''")}') ORDER BY sample_id, layer, pooling").Rows;
        Assert.That(duckRows, Has.Count.EqualTo(ours.Count));
        for (int i = 0; i < ours.Count; i++)
        {
            var d = duckRows[i];
            Assert.That(d[0], Is.EqualTo(ours[i].SampleId));
            Assert.That(d[1], Is.EqualTo(ours[i].Layer));
            Assert.That(d[3], Is.EqualTo(128L));
            Assert.That(d[4], Is.EqualTo(ours[i].Colour));
            Assert.That(((object?[])d[5]!).Select(v => (float)(double)v!).ToArray(), Is.EqualTo(ours[i].Vector));
        }
        // Labels come from the scene: every question with an evidence object names its colour, shape and quadrant.
        Assert.That(ours.Where(r => r.QuestionType is "color" or "shape").All(r => r.Colour is not null && r.Shape is not null && r.Position is not null));
        Assert.That(ours.All(r => int.Parse(r.Count!) > 0));

        using var sqlite = JsonDocument.Parse(PythonOracle.Run("probing_sqlite.py", settings.SqlitePath!));
        var sqlRows = sqlite.RootElement.EnumerateArray().ToList();
        Assert.That(sqlRows, Has.Count.EqualTo(ours.Count));
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.That(sqlRows[i].GetProperty("layer").GetString(), Is.EqualTo(ours[i].Layer));
            Assert.That(sqlRows[i].GetProperty("architecture").GetString(), Is.EqualTo("llava"));
            Assert.That(sqlRows[i].GetProperty("prompt").GetString(), Does.Contain(ours[i].Question));
            Assert.That(sqlRows[i].GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(), Is.EqualTo(ours[i].Vector));
        }

        // A crash mid-write leaves a .tmp file, which is not a part; a second run skips every finished sample.
        File.WriteAllText(Path.Combine(table.Folder, "part-000-of-001-00009.parquet.tmp"), "partial");
        var second = ActivationExtraction.Run(dir.Path, "run-1", "tiny", model, "shapes", entries, PromptTemplate.Auto, settings, TextWriter.Null);
        Assert.That((second.Extracted, second.Skipped, second.Rows), Is.EqualTo((0, samples, 0L)));
        Assert.That(table.ReadAll().Count(), Is.EqualTo(ours.Count));
        using var again = JsonDocument.Parse(PythonOracle.Run("probing_sqlite.py", settings.SqlitePath!));
        Assert.That(again.RootElement.GetArrayLength(), Is.EqualTo(ours.Count));
    }
}
