using LvlmEval.Datasets;

namespace LvlmEval.Tests.Datasets;

/// <summary>Asserts that two layouts of the same data give the same samples: every field, the evidence and the decoded pixels.</summary>
public static class SampleAssert
{
    /// <summary>Same samples in the same order (image references may differ in where they read from, not in what they decode to).</summary>
    public static void Identical(IReadOnlyList<Sample> expected, IReadOnlyList<Sample> actual)
    {
        Assert.That(actual.Select(s => s.Id), Is.EqualTo(expected.Select(s => s.Id)));
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Multiple(() =>
            {
                Assert.That(a.Dataset, Is.EqualTo(e.Dataset), e.Id);
                Assert.That(a.Split, Is.EqualTo(e.Split), e.Id);
                Assert.That(a.Question, Is.EqualTo(e.Question), e.Id);
                Assert.That(a.Prompt, Is.EqualTo(e.Prompt), e.Id);
                Assert.That(a.Answers, Is.EqualTo(e.Answers), e.Id);
                Assert.That(a.QuestionType, Is.EqualTo(e.QuestionType), e.Id);
                Assert.That(a.PairId, Is.EqualTo(e.PairId), e.Id);
                Assert.That(a.Metadata, Is.EquivalentTo(e.Metadata), e.Id);
                Assert.That(a.Evidence?.Boxes, Is.EqualTo(e.Evidence?.Boxes), e.Id);
            });
            var (ei, ai) = (e.Image.Load(), a.Image.Load());
            Assert.That((ai.Width, ai.Height), Is.EqualTo((ei.Width, ei.Height)), e.Id);
            Assert.That(ai.Pixels, Is.EqualTo(ei.Pixels), e.Id);
        }
    }

    /// <summary>The good samples of a read, failing on any error.</summary>
    public static List<Sample> Samples(string format, DatasetOptions options)
    {
        var entries = DatasetReader.Read(DatasetRegistry.Create(format), options).ToList();
        Assert.That(entries.Where(e => e.Error is not null).Select(e => e.Error!.ToString()), Is.Empty);
        return entries.Select(e => e.Sample!).ToList();
    }
}
