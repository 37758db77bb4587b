using System.Text.Json;
using LvlmEval.Datasets.Formats;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

/// <summary>The CSV reader agrees with Python's csv module on quoting, embedded newlines, CRLF and a BOM.</summary>
public sealed class CsvTableTests
{
    [TestCase("Index,Question,Options,Correct Answer\n1,\"Is it red, or blue?\",\"(a) Red (b) Blue\",(a)\n")]
    [TestCase("a,b\r\n\"say \"\"hi\"\"\",2\r\n\"multi\nline\",3\r\n")]
    [TestCase("\uFEFFImageId,PredictionString\nILSVRC2012_val_00000001,n01440764 1 2 3 4 \n")]
    [TestCase("x,y\n,\n\"\",\"\"\nlast,row")]
    public void MatchesPythonCsv(string text)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("t.csv"), text);
        var expected = JsonSerializer.Deserialize<List<List<string>>>(PythonOracle.Run("csv_oracle.py", dir.File("t.csv")))!;
        var actual = CsvTable.Parse(File.ReadAllText(dir.File("t.csv"))).Select(r => r.Fields.ToList()).ToList();
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void RowsKeepTheLineTheyStartOn()
    {
        var rows = CsvTable.Parse("h1,h2\n\"a\nb\",1\nc,2\n");
        Assert.That(rows.Select(r => r.Line), Is.EqualTo(new[] { 1, 2, 4 }));
    }
}
