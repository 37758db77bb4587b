using LvlmEval.Datasets.Formats;
using LvlmEval.Datasets.Pope;
using LvlmEval.Datasets.Vqa;

namespace LvlmEval.Datasets.Voc;

/// <summary>
/// VOC with <c>prompt: pope</c>: POPE-style object-presence questions (Li et al. 2023). Each image gets "Is there a
/// {class} in the image?" for every annotated class (answer yes, evidence = that class's exact mask and boxes) and as many
/// absent classes (answer no, no evidence), sampled by setting <c>sampling</c> (<c>random</c>, <c>popular</c>,
/// <c>adversarial</c>; frequencies and co-occurrences counted over the split) with setting <c>seed</c>. The question type
/// is the strategy, so scores come per strategy like POPE's; ids are <c>{image}/{class}</c> and <c>{image}/no-{class}</c>.
/// </summary>
internal static class VocPopeQuestions
{
    public static IReadOnlyList<PendingSample> Index(VocLoader loader, DatasetOptions options, string split, string vocRoot, string listPath)
    {
        string strategy = ObjectPresenceSampler.Strategy(options.Setting("sampling", "random"));
        int seed = int.TryParse(options.Setting("seed", "0"), out var s) ? s : throw new ArgumentException($"voc: setting 'seed' must be an integer, got '{options.Setting("seed", "")}'.");
        string instruction = options.Setting("instruction", VqaV2Loader.DefaultInstruction);
        var images = new List<(string Id, int Line, VocAnnotation? Annotation, SampleError? Error)>();
        foreach (var (line, lineNumber) in File.ReadLines(listPath).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0) continue;
            string xmlPath = Path.Combine(vocRoot, "Annotations", $"{line}.xml");
            if (!File.Exists(xmlPath)) { images.Add((line, lineNumber, null, new SampleError(line, listPath, $"line {lineNumber}", null, $"annotation '{xmlPath}' does not exist"))); continue; }
            try { images.Add((line, lineNumber, VocAnnotation.Read(xmlPath, line), null)); }
            catch (SampleErrorException e) { images.Add((line, lineNumber, null, e.Error)); }
        }
        var classes = VocClasses.Names.Skip(1).ToList();
        var present = images.Select(i => (IReadOnlyCollection<string>)(i.Annotation?.Objects.Select(o => o.Name).Where(classes.Contains).Distinct().ToList() ?? [])).ToList();
        var sampler = new ObjectPresenceSampler(present, classes);
        var pending = new List<PendingSample>();
        for (int k = 0; k < images.Count; k++)
        {
            var (imageId, lineNumber, annotation, error) = images[k];
            if (error is not null) { pending.Add(new PendingSample(imageId, () => throw new SampleErrorException(error))); continue; }
            var rng = new Random(unchecked(seed * 1_000_003 + k));
            foreach (var className in present[k])
            {
                int classIndex = VocClasses.IndexOf(className);
                var boxes = annotation!.Objects.Where(o => o.Name == className).Select(o => o.Box).ToList();
                pending.Add(Question(loader, options, vocRoot, listPath, split, imageId, lineNumber, className, true, strategy, instruction,
                    mask => new Evidence(boxes, () => VocLoader.ClassMask(mask, (byte)classIndex))));
            }
            foreach (var absent in sampler.Negatives(present[k], present[k].Count, strategy, rng))
                pending.Add(Question(loader, options, vocRoot, listPath, split, imageId, lineNumber, absent, false, strategy, instruction, null));
        }
        return pending;
    }


    private static PendingSample Question(VocLoader loader, DatasetOptions options, string vocRoot, string listPath, string split, string imageId, int lineNumber,
        string className, bool present, string strategy, string instruction, Func<string, Evidence>? evidence)
    {
        string id = present ? $"{imageId}/{className}" : $"{imageId}/no-{className}";
        return new PendingSample(id, () =>
        {
            string record = $"line {lineNumber}";
            string image = DatasetPaths.ResolveFile(vocRoot, Path.Combine("JPEGImages", $"{imageId}.jpg"), id, listPath, record, "JPEGImages");
            string? mask = present ? DatasetPaths.ResolveFile(vocRoot, Path.Combine("SegmentationClass", $"{imageId}.png"), id, listPath, record, "SegmentationClass") : null;
            string question = ObjectPresenceSampler.Question(VocClasses.ReadableName(className));
            return new Sample
            {
                Id = id, Dataset = loader.Name, Split = split,
                Image = ImageReference.FromFile(image),
                Question = question, Prompt = $"{question}\n{instruction}",
                Answers = [present ? "yes" : "no"],
                Evidence = mask is null ? null : evidence!(mask),
                QuestionType = strategy,
                Metadata = new Dictionary<string, string> { ["image_id"] = imageId, ["class"] = className, ["present"] = present ? "true" : "false" },
            };
        });
    }
}
