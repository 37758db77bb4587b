using System.Globalization;
using System.Text.Json;
using LvlmEval.Metrics.Task;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Task scorers against tests/oracles/task_accuracy_oracle.py (the official VQA evaluation's rules and ChartQA's
/// relaxed_correctness in Python, with Python's own regex and float parsing) plus hand-derived cases.
/// </summary>
public sealed class TaskAccuracyTests
{
    private static string[] Ten(params (string Answer, int Count)[] parts) => parts.SelectMany(p => Enumerable.Repeat(p.Answer, p.Count)).ToArray();

    /// <summary>(prediction, 10 answers) cases, one or more per normalisation branch of the official script.</summary>
    private static readonly (string Prediction, string[] Answers)[] VqaCases =
    [
        ("yes", Ten(("yes", 10))),                                // identical answers, no processing
        ("Yes", Ten(("yes", 10))),                                // prediction lower-cased
        ("yes\n", Ten(("yes", 10))),                              // newline → space, trimmed
        ("\tno ", Ten(("no", 10))),                               // tab → space, trimmed
        ("Yes!", Ten(("yes", 7), ("no", 3))),                     // '!' becomes a space
        ("two", Ten(("2", 10))),                                  // number word → digit
        ("2", Ten(("two", 10))),                                  // identical answers are not digit-processed: no match
        ("None", Ten(("none", 10))),                              // 'none' → '0' on the prediction only
        ("none", Ten(("0", 6), ("zero", 4))),                     // answers get punctuation processing only
        ("Two dogs", Ten(("2 dogs", 10))),
        ("a dog", Ten(("dog", 5), ("dogs", 5))),                  // article dropped
        ("the cat.", Ten(("cat", 10))),                           // period stripped, article dropped
        ("An apple", Ten(("apple", 6), ("apples", 4))),
        ("dog", Ten(("dog", 1), ("cat", 9))),                     // partial credit 0.3
        ("dog", Ten(("dog", 2), ("cat", 8))),                     // 0.6
        ("dog", Ten(("dog", 3), ("cat", 7))),                     // 0.9
        ("dog", Ten(("dog", 4), ("cat", 6))),                     // 1
        ("3.5", Ten(("3.5", 8), ("3", 2))),                       // period before a digit kept
        ("mr. smith", Ten(("mr smith", 5), ("smith", 5))),        // period before a letter removed
        ("ice-cream", Ten(("ice cream", 5), ("icecream", 5))),    // hyphen between letters → space
        ("ice - cream", Ten(("ice cream", 10))),                  // hyphen next to a space → deleted
        ("t-shirt", Ten(("t-shirt", 5), ("t shirt", 5))),         // answers' hyphens processed when they differ
        ("t-shirt", Ten(("t-shirt", 10))),                        // identical answers keep their hyphen: no match
        ("1,000", Ten(("1000", 4), ("1,000", 6))),                // digit-comma-digit: punctuation deleted everywhere
        ("5,000 dollars!", Ten(("5000 dollars", 10))),            // ... including the '!'
        ("yes, it is", Ten(("yes it is", 3), ("yes", 7))),        // ', ' → comma deleted
        ("red/white", Ten(("red white", 3), ("red and white", 7))),
        ("red / white", Ten(("red white", 3), ("red", 7))),
        ("(a)", Ten(("a", 10))),                                  // parentheses → spaces, then 'a' is an article
        ("dont", Ten(("don't", 10))),                             // contraction gets its apostrophe
        ("Whats", Ten(("what's", 5), ("what is", 5))),
        ("Im", Ten(("i'm", 10))),                                 // 'Im' is in the table with a capital: lower-cased 'im' misses
        ("10", Ten(("ten", 3), ("10", 7))),
        ("", Ten(("yes", 10))),                                   // empty prediction
        ("\"hello\"", Ten(("hello", 9), ("hi", 1))),              // quotes
        ("a+b=c", Ten(("a b c", 2), ("abc", 8))),
        ("50%", Ten(("50%", 5), ("50", 5))),                      // '%' is not punctuation to the script
        ("x" + new string('.', 40), Ten(("x", 10))),              // only 32 periods are removed (re.UNICODE as count)
        ("blue  green", Ten(("blue green", 6), ("green", 4))),    // repeated spaces collapse in the split
        ("@home", Ten(("home", 10))),
    ];

    private static readonly (string Prediction, string[] Answers)[] ChartQaCases =
    [
        ("12", ["12"]),
        ("12.5", ["12"]),         // 4.2% off
        ("13", ["12"]),           // 8.3% off
        ("12.6", ["12"]),         // the 5% boundary, as the float arithmetic has it
        ("11.41", ["12"]),        // 4.9% below
        ("-5", ["-5.2"]),         // negative numbers
        ("45%", ["0.45"]),        // percent divides by 100
        ("45", ["45%"]),          // 45 vs 0.45
        ("45%", ["45%"]),
        ("0", ["0"]),             // zero target → string match
        ("0.0", ["0"]),           // ... which fails for a different spelling
        ("0.01", ["0"]),
        ("Yes", ["yes"]),         // case-insensitive strings
        ("Brazil.", ["brazil"]),  // trailing period
        ("brazil", ["Brazil."]),
        ("1,000", ["1000"]),      // not a Python float: string comparison
        ("1e3", ["1000"]),
        (" 42 ", ["42"]),
        ("Dark Blue", ["dark blue"]),
        ("2019", ["2018"]),       // years are numbers too: 0.05% off
        ("abc", ["abd"]),
        ("7", ["5", "7.1"]),      // best over references
    ];

    private static double[] Oracle(string kind, (string Prediction, string[] Answers)[] cases)
    {
        using var dir = new TempDir();
        var path = dir.File("cases.json");
        File.WriteAllText(path, JsonSerializer.Serialize(cases.Select(c => new { kind, prediction = c.Prediction, answers = c.Answers })));
        return PythonOracle.Run("task_accuracy_oracle.py", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
    }

    [Test]
    public void VqaAccuracyMatchesTheOfficialRules()
    {
        Assert.That(VqaCases.Length, Is.GreaterThanOrEqualTo(30));
        var expected = Oracle("vqa", VqaCases);
        var scorer = new VqaAccuracy();
        Assert.Multiple(() =>
        {
            for (int i = 0; i < VqaCases.Length; i++)
                Assert.That(scorer.Score(VqaCases[i].Prediction, VqaCases[i].Answers), Is.EqualTo(expected[i]).Within(1e-12),
                    $"case {i}: '{VqaCases[i].Prediction}' vs [{string.Join(", ", VqaCases[i].Answers.Distinct())}]");
        });
        // The table exercises both outcomes.
        Assert.That(expected, Has.Some.EqualTo(0.0).And.Some.EqualTo(1.0).And.Some.InRange(0.01, 0.99));
    }

    [TestCase("dog", 1, 0.3)]  // leave out the dog: 0; leave out a cat: 1/3 → 9/30
    [TestCase("dog", 2, 0.6)]  // (2·1/3 + 8·2/3) / 10
    [TestCase("dog", 3, 0.9)]  // (3·2/3 + 7·1) / 10
    [TestCase("Dogs.", 3, 0.0)] // 'dogs' matches none
    public void VqaLeaveOneOutByHand(string prediction, int dogs, double expected) =>
        Assert.That(new VqaAccuracy().Score(prediction, Ten(("dog", dogs), ("cat", 10 - dogs))), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void RelaxedAccuracyMatchesTheReferenceRule()
    {
        var expected = Oracle("chartqa", ChartQaCases);
        var scorer = new RelaxedAccuracy();
        Assert.Multiple(() =>
        {
            for (int i = 0; i < ChartQaCases.Length; i++)
                Assert.That(scorer.Score(ChartQaCases[i].Prediction, ChartQaCases[i].Answers), Is.EqualTo(expected[i]),
                    $"case {i}: '{ChartQaCases[i].Prediction}' vs [{string.Join(", ", ChartQaCases[i].Answers)}]");
        });
        // The trailing-period extension, on request only, against the same transcription with the trim.
        var trimmed = Oracle("chartqa-trim", ChartQaCases);
        var trimming = (RelaxedAccuracy)TaskScorer.For("chartqa", new Dictionary<string, string> { ["relaxed_trim_period"] = "true" });
        for (int i = 0; i < ChartQaCases.Length; i++)
            Assert.That(trimming.Score(ChartQaCases[i].Prediction, ChartQaCases[i].Answers), Is.EqualTo(trimmed[i]), $"trimmed case {i}");
        // Hand-checked anchors: the default is the reference (no trimming), the extension accepts "Brazil.".
        Assert.That(((RelaxedAccuracy)TaskScorer.For("chartqa")).TrimPeriod, Is.False);
        Assert.That(scorer.Score("Brazil.", ["brazil"]), Is.EqualTo(0));
        Assert.That(trimming.Score("Brazil.", ["brazil"]), Is.EqualTo(1));
        Assert.That(() => TaskScorer.For("chartqa", new Dictionary<string, string> { ["relaxed_trim_period"] = "maybe" }), Throws.InstanceOf<LvlmEval.Common.ParameterException>().With.Message.Contains("relaxed_trim_period"));
        Assert.That(scorer.Score("12.5", ["12"]), Is.EqualTo(1));
        Assert.That(scorer.Score("13", ["12"]), Is.EqualTo(0));
        Assert.That(scorer.Score("0.0", ["0"]), Is.EqualTo(0));
        Assert.That(scorer.Score("45%", ["0.45"]), Is.EqualTo(1));
    }

    // Letters are read only from the letter alone, "(a)", "a)", "a." or "Option a"; anything else is matched against the
    // options' texts ("(a) Open (b) Closed" here; "(a) Yes (b) No" where noted).
    [TestCase("(a)", "(a)", 1)]
    [TestCase("a", "(a)", 1)]
    [TestCase("A.", "(a)", 1)]
    [TestCase("a)", "(a)", 1)]
    [TestCase(" Option A ", "(a)", 1)]
    [TestCase("(b) Closed", "(b)", 1)]           // by its text
    [TestCase("b", "(a)", 0)]
    [TestCase("The door is open", "(a)", 1)]     // by its text
    [TestCase("The door is open.", "(b)", 0)]
    [TestCase("I think it is closed", "(b)", 1)] // not option (i)
    [TestCase("It is open, not closed", "(a)", 0)] // names both options: no choice
    [TestCase("Reopened", "(a)", 0)]             // whole words only
    [TestCase("", "(a)", 0)]
    public void MmvpOptionAccuracy(string prediction, string reference, double expected) =>
        Assert.That(OptionAccuracy.Score(prediction, [reference], "(a) Open (b) Closed"), Is.EqualTo(expected));

    [TestCase("A dog is sitting on the sofa", "(a)", 0)] // "A dog…" is not option (a)
    [TestCase("I see a dog", "(a)", 0)]                  // nor "I…" option (i)
    [TestCase("Yes", "(a)", 1)]
    [TestCase("(b)", "(b)", 1)]
    public void MmvpLetterWordsAreNotOptions(string prediction, string reference, double expected)
    {
        Assert.That(OptionAccuracy.Score(prediction, [reference], "(a) Yes (b) No"), Is.EqualTo(expected));
        Assert.That(OptionAccuracy.Letter("A dog is sitting"), Is.Null);
        Assert.That(OptionAccuracy.Letter("I think so"), Is.Null);
    }

    [Test]
    public void MmvpPairAccuracyNeedsBothQuestions()
    {
        // Pair 1: both right; pair 2: one wrong; pair 3: both wrong → 1 of 3 pairs; per-question 3/6.
        var scores = new (string?, double)[] { ("1", 1), ("1", 1), ("2", 1), ("2", 0), ("3", 0), ("3", 0), (null, 1) };
        Assert.That(PairAccuracy.Compute(scores), Is.EqualTo(1 / 3.0).Within(1e-12));
        Assert.That(() => PairAccuracy.Compute([(null, 1.0)]), Throws.ArgumentException);
    }

    [TestCase("Tench", 1)]
    [TestCase("a tinca tinca.", 1)]
    [TestCase("goldfish", 0)]
    public void ImageNetSynonyms(string prediction, double expected) =>
        Assert.That(new SynonymAccuracy().Score(prediction, ["tench", "Tinca tinca"]), Is.EqualTo(expected));

    [TestCase("Red", "red", 1)]
    [TestCase("red.", "red", 1)]
    [TestCase(" 3 ", "3", 1)]
    [TestCase("dark red", "red", 0)]
    public void ShapesExactMatch(string prediction, string reference, double expected) =>
        Assert.That(new ExactMatch().Score(prediction, [reference]), Is.EqualTo(expected));

    [Test]
    public void ScorersAreChosenByDatasetFormat()
    {
        Assert.That(TaskScorer.All.Create("vqav2"), Is.InstanceOf<VqaAccuracy>());
        Assert.That(TaskScorer.All.Create("chartqa"), Is.InstanceOf<RelaxedAccuracy>());
        Assert.That(TaskScorer.All.Create("mmvp"), Is.InstanceOf<OptionAccuracy>());
        Assert.That(TaskScorer.All.Create("imagenet"), Is.InstanceOf<SynonymAccuracy>());
        Assert.That(TaskScorer.All.Create("shapes"), Is.InstanceOf<ExactMatch>());
        Assert.That(() => TaskScorer.All.Create("coco"), Throws.InstanceOf<LvlmEval.Common.ParameterException>().With.Message.Contains("vqav2"));
    }
}
