using LvlmEval.Datasets.Formats;
using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.Mmvp;

/// <summary>
/// MMVP (Tong et al. 2024, "Eyes Wide Shut?"): 300 questions on 150 CLIP-blind image pairs, from
/// <c>Questions.csv</c> (<c>Index,Question,Options,Correct Answer</c>) and <c>MMVP Images/{Index}.jpg</c>.
/// </summary>
public sealed class MmvpLoader : IDatasetLoader
{
    /// <summary>Default instruction appended to question and options (LLaVA's multiple-choice instruction).</summary>
    public const string DefaultInstruction = "Answer with the option's letter from the given choices directly.";

    /// <summary>
    /// Published ground-truth fixes: the answers of pairs (99, 100) and (279, 280) are swapped in Questions.csv
    /// (reported in the MMVP repository's issues #14 and #30). Applied only where the file still holds the original
    /// values, so a corrected file is left as it is. Setting <c>label_corrections: false</c> turns this off.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, (string Original, string Corrected)> LabelCorrections = new Dictionary<int, (string, string)>
    {
        [99] = ("(a)", "(b)"), [100] = ("(b)", "(a)"), [279] = ("(a)", "(b)"), [280] = ("(b)", "(a)"),
    };

    private static readonly string[] ImageFolderNames = ["MMVP Images", "MMVP Imgaes"];

    public string Name => "mmvp";
    public string DefaultSplit => "test";
    public string ExpectedLayout => """
        ROOT/
          Questions.csv          columns: Index,Question,Options,Correct Answer   (answers "(a)" / "(b)")
          MMVP Images/1.jpg … 300.jpg   (the misspelled "MMVP Imgaes/" is accepted too)
        Hub layout (huggingface.co/datasets/lmms-lab-eval/MMVP, the Parquet export of MMVP/MMVP):
          ROOT/data/{test,train}-0000N-of-0000M.parquet   columns Index, Question, Options, Correct Answer, image {bytes, path}
                                                          (lower-case index, question, options, answer accepted)
        """;

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        if (HubSnapshot.Selected(this, options, [options.Split ?? DefaultSplit, "train"])) return MmvpHubReader.Index(this, options);
        var csvPath = DatasetPaths.RequireFile(this, Path.Combine(options.Root, "Questions.csv"), "question file");
        var imageFolder = ImageFolderNames.FirstOrDefault(f => Directory.Exists(Path.Combine(options.Root, f)))
            ?? throw new DatasetLayoutException(Name, $"no image folder ('{ImageFolderNames[0]}') under '{options.Root}'.", ExpectedLayout);
        var (header, rows) = CsvTable.Read(csvPath);
        int col(string name) => header.Select((h, i) => (h.Trim(), i)).FirstOrDefault(p => p.Item1 == name, ("", -1)).Item2;
        int cIndex = col("Index"), cQuestion = col("Question"), cOptions = col("Options"), cAnswer = col("Correct Answer");
        if (new[] { cIndex, cQuestion, cOptions, cAnswer }.Any(c => c < 0))
            throw new DatasetLayoutException(Name, $"'{csvPath}' header is '{string.Join(",", header)}'.", ExpectedLayout);

        var pending = new List<PendingSample>(rows.Count);
        foreach (var row in rows)
        {
            string record = $"line {row.Line}";
            if (row.Fields.Count != header.Count)
            {
                string id = $"line-{row.Line}";
                var error = new SampleError(id, csvPath, record, null, $"row has {row.Fields.Count} columns, the header has {header.Count}");
                pending.Add(new PendingSample(id, () => throw new SampleErrorException(error)));
                continue;
            }
            var indexText = row.Fields[cIndex].Trim();
            if (!int.TryParse(indexText, out int index) || index < 1)
            {
                string id = $"line-{row.Line}";
                var error = new SampleError(id, csvPath, record, "Index", $"'{indexText}' is not a positive integer");
                pending.Add(new PendingSample(id, () => throw new SampleErrorException(error)));
                continue;
            }
            string question = row.Fields[cQuestion].Trim(), choices = row.Fields[cOptions].Trim(), answer = row.Fields[cAnswer].Trim();
            string sampleId = index.ToString();
            pending.Add(new PendingSample(sampleId, () => MakeSample(options, index, question, choices, answer, csvPath, record,
                () => ImageReference.FromFile(DatasetPaths.ResolveFile(options.Root, Path.Combine(imageFolder, $"{index}.jpg"), sampleId, csvPath, record, "Index")))));
        }
        return pending;
    }

    /// <summary>
    /// The sample of one question, the same from either layout: applies the label corrections (setting
    /// <c>label_corrections</c>) and checks the fields; <paramref name="file"/> and <paramref name="record"/> locate errors.
    /// </summary>
    internal Sample MakeSample(DatasetOptions options, int index, string question, string choices, string answer, string file, string record, Func<ImageReference> image)
    {
        string sampleId = index.ToString();
        var metadata = new Dictionary<string, string> { ["options"] = choices, ["csv_answer"] = answer };
        var finalAnswer = answer;
        if (options.Flag("label_corrections", true) && LabelCorrections.TryGetValue(index, out var fix) && fix.Original == answer)
        {
            finalAnswer = fix.Corrected;
            metadata["label_corrected"] = "true";
        }
        if (question.Length == 0) throw new SampleErrorException(new SampleError(sampleId, file, record, "Question", "empty question"));
        if (!OptionLetter.TryParse(finalAnswer, out _))
            throw new SampleErrorException(new SampleError(sampleId, file, record, "Correct Answer", $"'{finalAnswer}' is not an option letter like (a)"));
        return new Sample
        {
            Id = sampleId, Dataset = Name, Split = options.Split ?? DefaultSplit,
            Image = image(),
            Question = question,
            Prompt = $"{question} {choices}\n{options.Setting("instruction", DefaultInstruction)}",
            Answers = [finalAnswer],
            PairId = ((index + 1) / 2).ToString(),
            Metadata = metadata,
        };
    }
}

/// <summary>Parses MMVP option letters written as "(a)", "a" or "A".</summary>
public static class OptionLetter
{
    /// <summary>The lower-case letter of an option label.</summary>
    public static bool TryParse(string text, out char letter)
    {
        var t = text.Trim().Trim('(', ')').Trim();
        letter = t.Length == 1 && char.IsAsciiLetter(t[0]) ? char.ToLowerInvariant(t[0]) : '\0';
        return letter != '\0';
    }
}
