using LvlmEval.Reports.Runs;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>The report reads a run folder as `--resume` does: a chunk a killed run left half-written is not counted.</summary>
public sealed class RunDataTests
{
    [Test]
    public void LeftoverPartsOfAnIncompleteChunkAreNotCounted()
    {
        using var run = new TempDir("rundata-killed");
        RunFixture.Write(run.Path, shards: 2);
        // A run killed after writing shard 1's scores but before its maps: that chunk's other part files are leftovers.
        File.Delete(Path.Combine(run.Path, "maps", "part-001-of-002-00000.parquet"));

        // Independent count (DuckDB's own Parquet reader) of the rows in the one complete chunk.
        using var db = new DuckDb();
        long Rows(string table) => Convert.ToInt64(db.Query(
            $"SELECT count(*) FROM read_parquet('{Path.Combine(run.Path, table, "part-000-of-002-00000.parquet")}')").Rows[0][0]);

        var data = RunData.Load(run.Path);
        Assert.Multiple(() =>
        {
            Assert.That(data.Samples, Has.Count.EqualTo(Rows("samples")));
            Assert.That(data.Scores, Has.Count.EqualTo(Rows("scores")));
            Assert.That(data.Curves, Has.Count.EqualTo(Rows("curves")));
            Assert.That(data.Maps, Has.Count.EqualTo(Rows("maps")));
        });
    }
}
