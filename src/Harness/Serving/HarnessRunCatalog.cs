using LvlmEval.Explorer.Runs;
using LvlmEval.Explorer.Serving;
using LvlmEval.Harness.Reports.Gallery;
using LvlmEval.Harness.Reports.Runs;
using LvlmEval.Harness.Results;
using LvlmEval.Imaging;

namespace LvlmEval.Harness.Serving;

/// <summary>
/// The explorer's view of run folders: rows from the run reader (complete chunks only), sample images found again
/// through the manifest's dataset entries, as the report's gallery finds them.
/// </summary>
internal sealed class HarnessRunCatalog : IRunCatalog
{
    private readonly Dictionary<string, SampleSource> _sources = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public RunTable Read(string runFolder)
    {
        var results = RunResults.Read(new RunFolder(runFolder));
        var samples = results.Samples.Select((s, i) => new RunSample(i, s.Model, s.Dataset, s.Split, s.SampleId, s.Question, s.References,
            s.Answer, s.TaskScore, s.ImageReliance)).ToList();
        var scores = results.Scores.ToLookup(s => RunTable.Key(s.Model, s.Dataset, s.SampleId),
            s => new RunScore(s.Explainer, s.Metric, s.TokenIndex, s.Value));
        var maps = results.Maps.ToLookup(m => RunTable.Key(m.Model, m.Dataset, m.SampleId),
            m => new RunMap(m.Explainer, m.TokenIndex, m.Token, m.GridHeight, m.GridWidth, m.Values));
        return new RunTable(samples, scores, maps);
    }

    /// <inheritdoc/>
    public RgbImage LoadImage(string runFolder, RunSample sample)
    {
        SampleSource source;
        lock (_sources)
        {
            if (!_sources.TryGetValue(runFolder, out source!))
                _sources[runFolder] = source = new SampleSource(RunManifest.Load(Path.Combine(runFolder, "manifest.json")).Datasets);
        }
        lock (source)
        {
            var (found, problem) = source.Find(sample.Dataset, sample.Split, sample.SampleId);
            return found?.Image.Load() ?? throw new ExplorerRequestException($"the image of sample '{sample.SampleId}' cannot be loaded: {problem}", notFound: true);
        }
    }
}
