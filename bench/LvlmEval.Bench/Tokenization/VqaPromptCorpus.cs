namespace LvlmEval.Bench.Tokenization;

/// <summary>Deterministic VQAv2-style questions wrapped in a model's prompt, for tokenizer throughput runs.</summary>
public static class VqaPromptCorpus
{
    private static readonly string[] Templates =
    [
        "What color is the {0}?", "How many {1} are in the picture?", "Is the {0} {2}?", "What is the {3} holding?",
        "Where is the {0}?", "What sport is being played?", "Is there a {0} in the image?", "What room is this?",
        "Why is the {3} {4}?", "What is on the {0}?", "Are the {1} {2}?", "What is the {3} doing?", "Does the {0} look {2}?",
        "What time of day is it?", "Which {0} is bigger?", "How many {1} can you see on the {0}?", "What brand is the {0}?",
        "Is this {3} {4} or standing still?", "What is the weather like?", "What does the sign on the {0} say?",
        "Can you see any {1} near the {0}?", "What kind of {0} is this?", "Is it safe for the {3} to be {4} here?",
    ];
    private static readonly string[] Objects =
    [
        "cat", "dog", "bus", "train", "pizza", "umbrella", "table", "clock", "bench", "kite", "surfboard", "laptop", "sandwich",
        "traffic light", "fire hydrant", "skateboard", "giraffe", "elephant", "refrigerator", "toilet", "banana", "motorcycle",
    ];
    private static readonly string[] Plurals = ["people", "cars", "birds", "sheep", "zebras", "windows", "plates", "chairs", "trees", "boats"];
    private static readonly string[] Adjectives = ["red", "open", "wooden", "empty", "wet", "new", "old", "clean", "broken", "tall"];
    private static readonly string[] People = ["man", "woman", "child", "player", "girl", "boy", "chef", "skier", "surfer"];
    private static readonly string[] Verbs = ["running", "smiling", "jumping", "sitting", "waiting", "eating", "looking up"];
    private static readonly string[] Places =
    [
        "", "", "", " in the background", " on the left", " on the right", " near the {0}", " next to the {3}", " in this photo",
        " at the top of the image", " behind the {0}", " under the {0}", " in front of the {3}", " on the table", " outside",
    ];

    /// <summary><paramref name="count"/> prompts: <paramref name="format"/> with {0} replaced by a question.</summary>
    public static List<string> Generate(int count, int seed, string format)
    {
        var random = new Random(seed);
        var prompts = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            // Most questions are distinct, as in VQAv2, so caches of whole pieces do not flatter either side.
            var template = Templates[random.Next(Templates.Length)];
            var place = Places[random.Next(Places.Length)];
            template = template[..^1] + place + template[^1];
            var question = string.Format(template,
                Objects[random.Next(Objects.Length)], Plurals[random.Next(Plurals.Length)], Adjectives[random.Next(Adjectives.Length)],
                People[random.Next(People.Length)], Verbs[random.Next(Verbs.Length)]);
            if (random.Next(4) == 0) question = $"In picture {random.Next(1, 100_000)}, {char.ToLowerInvariant(question[0])}{question[1..]}";
            prompts.Add(format.Replace("{0}", question, StringComparison.Ordinal));
        }
        return prompts;
    }
}
