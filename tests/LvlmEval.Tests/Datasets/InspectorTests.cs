using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

/// <summary>The JSON form of <c>datasets inspect</c> has the documented keys and counts.</summary>
public sealed class InspectorTests
{
    [Test]
    public void JsonHasFormatRootCountErrorsAndSamples()
    {
        using var dir = new TempDir();
        DatasetFixtures.Voc(dir.Path);
        var summary = DatasetInspector.Inspect("voc", new DatasetOptions { Root = dir.Path }, firstSamples: 2);
        using var doc = JsonDocument.Parse(summary.ToJson());
        var root = doc.RootElement;
        Assert.That(root.GetProperty("format").GetString(), Is.EqualTo("voc"));
        Assert.That(root.GetProperty("root").GetString(), Is.EqualTo(dir.Path));
        Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(3));
        Assert.That(root.GetProperty("errors").GetArrayLength(), Is.EqualTo(2));
        var first = root.GetProperty("samples")[0];
        Assert.That(root.GetProperty("samples").GetArrayLength(), Is.EqualTo(2));
        Assert.That(first.GetProperty("id").GetString(), Is.EqualTo("2008_000001/dog"));
        Assert.That(first.GetProperty("answers")[0].GetString(), Is.EqualTo("yes"));
        Assert.That(first.GetProperty("has_mask").GetBoolean(), Is.True);
        Assert.That(first.GetProperty("image").GetString(), Does.EndWith("2008_000001.jpg"));
        Assert.That(first.GetProperty("pair_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(first.GetProperty("prompt").GetString(), Does.StartWith("Is there a dog"));
        Assert.That(summary.ToText(), Does.Contain("3 samples, 2 errors"));
    }
}
