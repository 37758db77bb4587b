using LvlmEval.Datasets.Formats;
using LvlmEval.Imaging;

namespace LvlmEval.Datasets.Voc;

/// <summary>
/// PASCAL VOC 2012 segmentation: one sample per (image, class present in its annotation). The evidence is the exact
/// set of mask pixels of that class (void 255 excluded) from <c>SegmentationClass/{id}.png</c>, with the class's boxes.
/// Setting <c>prompt</c>: <c>exists</c> (default), <c>describe</c>, a template containing <c>{class}</c>, or <c>pope</c>
/// (yes/no questions about present and sampled absent classes, see <see cref="VocPopeQuestions"/>).
/// </summary>
public sealed class VocLoader : IDatasetLoader
{
    /// <summary>Prompt templates by name; {class} is replaced by the readable class name.</summary>
    public static readonly IReadOnlyDictionary<string, (string Template, bool YesAnswer)> Prompts = new Dictionary<string, (string, bool)>
    {
        ["exists"] = ("Is there a {class} in the image? Answer the question using a single word or phrase.", true),
        ["describe"] = ("Describe the {class} in the image.", false),
    };

    public string Name => "voc";
    public string DefaultSplit => "val";
    public string ExpectedLayout => """
        ROOT/VOCdevkit/VOC2012/          (ROOT may also be VOCdevkit/ or VOC2012/ itself)
          JPEGImages/{id}.jpg
          Annotations/{id}.xml           <annotation><size><width/><height/></size><object><name/><bndbox><xmin/>…</bndbox></object>…
          SegmentationClass/{id}.png     palette PNG, class indices 0–20, 255 = void
          ImageSets/Segmentation/{train,val}.txt   one image id per line
        """;

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        string split = options.Split ?? DefaultSplit;
        string vocRoot = FindVocRoot(options.Root);
        string listPath = DatasetPaths.RequireFile(this, Path.Combine(vocRoot, "ImageSets", "Segmentation", $"{split}.txt"), "split list");
        var promptSetting = options.Setting("prompt", "exists");
        if (promptSetting == "pope") return VocPopeQuestions.Index(this, options, split, vocRoot, listPath);
        var (template, yes) = Prompts.TryGetValue(promptSetting, out var p) ? p
            : promptSetting.Contains("{class}") ? (promptSetting, true)
            : throw new ArgumentException($"voc: prompt '{promptSetting}' is neither one of {string.Join(", ", Prompts.Keys)} nor a template containing {{class}}.");

        var pending = new List<PendingSample>();
        foreach (var (line, lineNumber) in File.ReadLines(listPath).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0) continue;
            string imageId = line;
            string xmlPath = Path.Combine(vocRoot, "Annotations", $"{imageId}.xml");
            if (!File.Exists(xmlPath))
            {
                var error = new SampleError(imageId, listPath, $"line {lineNumber}", null, $"annotation '{xmlPath}' does not exist");
                pending.Add(new PendingSample(imageId, () => throw new SampleErrorException(error)));
                continue;
            }
            VocAnnotation annotation;
            try { annotation = VocAnnotation.Read(xmlPath, imageId); }
            catch (SampleErrorException e) { pending.Add(new PendingSample(imageId, () => throw e)); continue; }

            foreach (var className in annotation.Objects.Select(o => o.Name).Distinct())
            {
                string id = $"{imageId}/{className}";
                int classIndex = VocClasses.IndexOf(className);
                var boxes = annotation.Objects.Where(o => o.Name == className).Select(o => o.Box).ToList();
                pending.Add(new PendingSample(id, () =>
                {
                    if (classIndex <= 0)
                        throw new SampleErrorException(new SampleError(id, xmlPath, null, "object/name", $"'{className}' is not a VOC class"));
                    string image = DatasetPaths.ResolveFile(vocRoot, Path.Combine("JPEGImages", $"{imageId}.jpg"), id, listPath, $"line {lineNumber}", "JPEGImages");
                    string mask = DatasetPaths.ResolveFile(vocRoot, Path.Combine("SegmentationClass", $"{imageId}.png"), id, listPath, $"line {lineNumber}", "SegmentationClass");
                    string readable = VocClasses.ReadableName(className);
                    return new Sample
                    {
                        Id = id, Dataset = Name, Split = split,
                        Image = ImageReference.FromFile(image),
                        Question = template.Replace("{class}", readable),
                        Prompt = template.Replace("{class}", readable),
                        Answers = [yes ? "yes" : readable],
                        Evidence = new Evidence(boxes, () => ClassMask(mask, (byte)classIndex)),
                        QuestionType = className,
                        Metadata = new Dictionary<string, string> { ["image_id"] = imageId, ["class"] = className, ["class_index"] = classIndex.ToString() },
                    };
                }));
            }
        }
        return pending;
    }

    /// <summary>Pixels whose mask value is the class index (void pixels are never evidence).</summary>
    public static EvidenceMask ClassMask(string maskPath, byte classIndex)
    {
        var indexed = IndexedImage.Load(maskPath);
        var inside = new bool[indexed.Indices.Length];
        for (int i = 0; i < inside.Length; i++) inside[i] = indexed.Indices[i] == classIndex;
        return new EvidenceMask(indexed.Width, indexed.Height, inside);
    }

    private string FindVocRoot(string root)
    {
        foreach (var candidate in new[] { Path.Combine(root, "VOCdevkit", "VOC2012"), Path.Combine(root, "VOC2012"), root })
            if (Directory.Exists(Path.Combine(candidate, "JPEGImages")) || Directory.Exists(Path.Combine(candidate, "ImageSets")))
                return candidate;
        throw new DatasetLayoutException(Name, $"no VOCdevkit/VOC2012 (JPEGImages, ImageSets) under '{root}'.", ExpectedLayout);
    }
}
