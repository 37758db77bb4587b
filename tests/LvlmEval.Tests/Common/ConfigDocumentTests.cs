using System.Text.Json.Nodes;
using LvlmEval.Common.Config;

namespace LvlmEval.Tests.Common;

/// <summary>The config reader's own rules, each against what the YAML 1.2 core schema or JSON (RFC 8259) says.</summary>
public sealed class ConfigDocumentTests
{
    [Test]
    public void YamlScalarsBecomeJsonByTheCoreSchema()
    {
        // manifest.json's "config" is the experiment as JSON: plain scalars resolve as the YAML 1.2 core schema says
        // (null, booleans, integers, floats, else strings); quoted and block scalars stay strings.
        const string yaml = "i: 12\nf: 1.5\nt: true\nn: ~\ne:\ns: text\nq: '12'\nl: [1, two]\nm: {k: v}\nb: |\n  block\n";
        var json = ConfigDocument.Parse(yaml, "x.yaml", ConfigFormat.Yaml).Root.ToJson()!;
        var expected = new JsonObject
        {
            ["i"] = 12, ["f"] = 1.5, ["t"] = true, ["n"] = null, ["e"] = null, ["s"] = "text", ["q"] = "12",
            ["l"] = new JsonArray(1, "two"), ["m"] = new JsonObject { ["k"] = "v" }, ["b"] = "block\n",
        };
        Assert.That(JsonNode.DeepEquals(json, expected), Is.True, json.ToJsonString());
    }

    [Test]
    public void JsonNullIsAnAbsentFieldAndTrailingCommasAreAccepted()
    {
        // transformers reads a null field as unset; the files it writes never have trailing commas, but hand-edited ones may.
        var root = ConfigDocument.Parse("{\n  \"a\": null,\n  \"b\": [1, 2,],\n}\n", "c.json", ConfigFormat.Json).Root;
        Assert.That((root.Int("a", 7), root.Has("a"), root.List("b").Count), Is.EqualTo((7, false, 2)));
    }

    [TestCase("a: 1\nb: 2\na: 3\n", ConfigFormat.Yaml, 3, "Duplicate key a")]
    [TestCase("{\"a\": {\"x\": 1,\n \"x\": 2}}", ConfigFormat.Json, 2, "a: key 'x' is given twice")]
    [TestCase("a: 1\n---\nb: 2\n", ConfigFormat.Yaml, 3, "holds 2 YAML documents")]
    [TestCase("{\"a\": 1}\n{\"b\": 2}", ConfigFormat.Json, 2, "not valid JSON")]
    [TestCase("{\"a\": [1,\n  -Infinity]}", ConfigFormat.Json, 2, "a[1] must be a finite number, got -Infinity")]
    public void DocumentLevelProblemsNameTheLine(string text, ConfigFormat format, int line, string phrase)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigDocument.Parse(text, "f", format))!;
        Assert.That(e.Message, Does.StartWith($"f:{line}: ").And.Contain(phrase));
    }

    [TestCase("x: .nan", "x must be a number, got '.nan'")]
    [TestCase("x: NaN", "x must be a finite number, got 'NaN'")]
    [TestCase("x: 1e400", "x must be a finite number, got '1e400'")]
    [TestCase("x: [1]", "x must be a number, got a list")]
    [TestCase("x: -0.5", "x must be at least 0, got -0.5")]
    public void NumbersMustBeFiniteAndInRange(string yaml, string message)
    {
        var root = ConfigDocument.Parse(yaml, "f.yaml", ConfigFormat.Yaml).Root;
        var e = Assert.Throws<ConfigException>(() => root.Double("x", 0, min: 0))!;
        Assert.That(e.Message, Is.EqualTo($"f.yaml:1: {message}"));
        Assert.That(e.Field, Is.EqualTo("x"));
    }
}
