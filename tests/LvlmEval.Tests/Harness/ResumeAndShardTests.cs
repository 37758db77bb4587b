using System.Diagnostics;
using LvlmEval.Results;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>Crash safety and scaling: a run killed with SIGKILL and resumed, and a run split in three shards and merged, equal one uninterrupted run.</summary>
public sealed class ResumeAndShardTests
{
    [Test]
    public void KilledRunResumedEqualsUninterruptedRunWithoutLossOrDuplication()
    {
        using var dir = new TempDir("harness-kill");
        var yaml = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 8, chunk: 1));
        var reference = dir.File("reference");
        HarnessFixture.CliOk("run", yaml, "--out", reference);

        var killed = dir.File("killed");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { HarnessFixture.CliDll, "run", yaml, "--out", killed }) psi.ArgumentList.Add(a);
        using (var process = Process.Start(psi)!)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var folder = new RunFolder(killed);
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && folder.CompleteChunks().Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(5);
            Assert.That(process.HasExited, Is.False, "the run finished before it could be killed; give it more samples");
            process.Kill(); // SIGKILL on Linux: no cleanup runs
            process.WaitForExit();
        }
        var before = HarnessFixture.Read(killed);
        int total = 2 * 8;
        Assert.That(before.Samples.Count, Is.GreaterThan(0).And.LessThan(total), "killed mid-way");

        var output = HarnessFixture.CliOk("run", yaml, "--out", killed, "--resume");
        Assert.That(output, Does.Contain($"{before.Samples.Count} already done"));
        var resumed = HarnessFixture.Read(killed);
        Assert.That(resumed.Samples.Select(s => (s.Model, s.SampleId)).Distinct().Count(), Is.EqualTo(total), "no sample lost or duplicated");
        Assert.That(resumed.Maps.Select(m => (m.Model, m.SampleId, m.Explainer, m.TokenIndex)).Distinct().Count(), Is.EqualTo(resumed.Maps.Count), "no map duplicated");
        RunTables.Of(HarnessFixture.Read(reference)).AssertEqual(RunTables.Of(resumed), "resumed vs uninterrupted");
        Assert.That(Directory.EnumerateFiles(killed, "*.tmp", SearchOption.AllDirectories), Is.Empty);

        // Resuming a finished run does nothing.
        Assert.That(HarnessFixture.CliOk("run", yaml, "--out", killed, "--resume"), Does.Contain("0 samples processed"));
        // Running again without --resume refuses (exit 2) instead of mixing two runs.
        var (code, _, error) = HarnessFixture.Cli("run", yaml, "--out", killed);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--resume"));
    }

    [Test]
    public void ThreeShardsMergedEqualTheUnshardedRun()
    {
        using var dir = new TempDir("harness-shards");
        var yaml = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 7, chunk: 2));
        var whole = dir.File("whole");
        HarnessFixture.CliOk("run", yaml, "--out", whole);

        var shared = dir.File("shared");
        var sampleSets = new List<HashSet<string>>();
        for (int i = 0; i < 3; i++)
        {
            HarnessFixture.CliOk("run", yaml, "--out", shared, "--shard", $"{i}/3");
            var shardRows = RunResults.Read(new RunFolder(shared), p => p.Shard == i && p.ShardCount == 3);
            sampleSets.Add(shardRows.Samples.Select(s => $"{s.Model}/{s.SampleId}").ToHashSet());
            Assert.That(File.Exists(Path.Combine(shared, $"manifest-{i:D3}-of-003.json")));
        }
        Assert.That(sampleSets.Select(s => s.Count), Is.All.GreaterThan(0), "every shard has work");
        Assert.That(sampleSets[0].Overlaps(sampleSets[1]) || sampleSets[0].Overlaps(sampleSets[2]) || sampleSets[1].Overlaps(sampleSets[2]), Is.False, "shards are disjoint");

        Assert.That(HarnessFixture.CliOk("merge", shared), Does.Contain("14 samples"));
        var merged = HarnessFixture.Read(shared);
        Assert.That(new RunFolder(shared).CompleteChunks(), Has.Count.EqualTo(1), "one merged chunk replaces the shard parts");
        RunTables.Of(HarnessFixture.Read(whole)).AssertEqual(RunTables.Of(merged), "merged shards vs unsharded");
        var manifest = Manifest.Read(Path.Combine(shared, "manifest.json"));
        Assert.That((int)manifest["samples_done"]!, Is.EqualTo(14));
        Assert.That((int)manifest["shard"]!["count"]!, Is.EqualTo(1));
    }
}
