using System.Diagnostics;
using System.Globalization;
using LvlmEval.Datasets;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// Extracts one model's activations for the samples of one dataset into a run folder's <c>activations/</c> table (and
/// SQLite when asked), a chunk of samples per part file; samples already in a complete part are skipped (resume).
/// </summary>
public static class ActivationExtraction
{
    /// <summary>Runs the extraction; per-sample failures are reported to <paramref name="log"/> and counted, never abort the run.</summary>
    public static ExtractionSummary Run(string runFolder, string runId, string modelName, LlavaModel model, string datasetName,
        IEnumerable<DatasetEntry> entries, PromptTemplate template, ExtractionSettings settings, TextWriter log)
    {
        var layers = LayerCatalog.Resolve(model.Config, settings.Layers);
        var extractor = new ActivationExtractor(model, layers, settings.Poolings);
        var table = new ActivationTable(runFolder);
        var done = table.DoneSamples();
        int chunk = table.NextChunk();
        using var sqlite = settings.SqlitePath is null ? null : new SqliteActivationStore(settings.SqlitePath);
        var rows = new List<ActivationRecord>();
        var sqliteRows = new List<(ActivationRecord, string, string)>();
        int extracted = 0, skipped = 0, failed = 0, pending = 0;
        long written = 0;
        var modelTime = Stopwatch.StartNew();
        modelTime.Stop();

        void Flush()
        {
            if (pending == 0) return;
            sqlite?.WriteChunk(Path.GetFullPath(model.Folder), "llava", sqliteRows);
            table.WriteChunk(chunk++, rows);
            written += rows.Count;
            rows.Clear();
            sqliteRows.Clear();
            pending = 0;
        }

        foreach (var entry in entries)
        {
            if (entry.Sample is not { } sample)
            {
                failed++;
                log.WriteLine($"warning: {datasetName}: {entry.Error}");
                continue;
            }
            if (done.Contains((modelName, datasetName, sample.Id))) { skipped++; continue; }
            try
            {
                modelTime.Start();
                var prepared = model.Prepare(sample.Image.Load(), sample.Prompt, template);
                var result = extractor.Extract(prepared, sample.Answers.Count > 0 ? sample.Answers[0] : null);
                modelTime.Stop();
                foreach (var vector in result.Vectors)
                {
                    var row = ToRecord(runId, modelName, datasetName, sample, result, vector);
                    rows.Add(row);
                    if (sqlite is not null) sqliteRows.Add((row, sample.Image.Path ?? sample.Image.Description, prepared.PromptText));
                }
                extracted++;
                pending++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException
                                          || e.GetType().Namespace?.StartsWith("LvlmEval", StringComparison.Ordinal) == true)
            {
                modelTime.Stop();
                failed++;
                log.WriteLine($"warning: {modelName} / {datasetName} / {sample.Id}: {e.Message}");
            }
            if (pending >= settings.ChunkSamples) Flush();
        }
        Flush();
        return new ExtractionSummary(extracted, skipped, failed, written, modelTime.Elapsed);
    }

    /// <summary>The row of one extracted vector with the sample's labels.</summary>
    public static ActivationRecord ToRecord(string runId, string modelName, string datasetName, Sample sample, ExtractedSample result, ExtractedVector vector)
    {
        string? Meta(string key) => sample.Metadata.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        return new ActivationRecord
        {
            RunId = runId, Model = modelName, Dataset = datasetName, Split = sample.Split, SampleId = sample.Id,
            ImageId = sample.ImageId,
            Question = sample.Question, QuestionType = sample.QuestionType,
            Answer = sample.Answers.Count > 0 ? sample.Answers[0] : "",
            Predicted = result.PredictedFirstText,
            Correct = result.ReferenceFirstToken is int r ? r == result.PredictedFirstToken : null,
            Layer = vector.Layer.Name, LayerKind = vector.Layer.Kind.ToString().ToLowerInvariant(), LayerOrder = vector.Layer.Order,
            Pooling = PoolingNames.Name(vector.Pooling), Tokens = vector.Values.Length / vector.Dim, PooledTokens = vector.Tokens, Dim = vector.Dim, Vector = vector.Values,
            Colour = Meta("colour"), Shape = Meta("shape"), Count = Meta("count"), Position = Meta("position"),
        };
    }
}
