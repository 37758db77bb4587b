using System.Globalization;
using LvlmEval.Datasets.Formats;
using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.ImageNet;

/// <summary>
/// ImageNet ILSVRC2012 validation, in either distributed layout: flat <c>ILSVRC2012_val_XXXXXXXX.JPEG</c> files with
/// <c>LOC_val_solution.csv</c> (boxes), or an ImageFolder <c>{split}/&lt;wnid&gt;/*.JPEG</c>. Class names come from
/// <c>LOC_synset_mapping.txt</c>; evidence is the union of the label's boxes (CSV, or an optional XML folder, setting <c>boxes</c>).
/// </summary>
public sealed class ImageNetLoader : IDatasetLoader
{
    /// <summary>Default prompt.</summary>
    public const string DefaultPrompt = "What is the main object in this image? Answer the question using a single word or phrase.";

    public string Name => "imagenet";
    public string DefaultSplit => "val";
    public string ExpectedLayout => """
        Flat layout:                                   ImageFolder layout:
          ROOT/LOC_synset_mapping.txt                    ROOT/LOC_synset_mapping.txt
          ROOT/LOC_val_solution.csv                      ROOT/{split}/<wnid>/*.JPEG
              ImageId,PredictionString                   (optional) bbox XML folder: setting `boxes`,
              ILSVRC2012_val_00000001,n01751748 xmin ymin xmax ymax [n… …]   files {ImageId}.xml in VOC format
          ROOT/ILSVRC2012_val_XXXXXXXX.JPEG  (Kaggle's download: ROOT/ILSVRC/Data/CLS-LOC/val/*.JPEG, found by itself;
                                              setting `images` names another folder)
        Hub layout (huggingface.co/datasets/ILSVRC/imagenet-1k; split val = validation):
          ROOT/data/validation-0000N-of-0000M.parquet   columns image {bytes, path}, label (class index 0–999)
          ROOT/LOC_synset_mapping.txt                   needed: maps class index i to the i-th wnid (setting `synsets`)
          ROOT/LOC_val_solution.csv                     optional: boxes (the hub export has none)
        """;

    /// <summary>Where Kaggle's ImageNet Object Localization Challenge download keeps the images of a split.</summary>
    public static string KaggleImages(string split) => Path.Combine("ILSVRC", "Data", "CLS-LOC", split);

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        string split = options.Split ?? DefaultSplit;
        if (HubSnapshot.Selected(this, options, HubSplitNames(split))) return ImageNetHubReader.Index(this, options, split);
        var synsets = SynsetMapping.Read(DatasetPaths.RequireFile(this, Path.Combine(options.Root, "LOC_synset_mapping.txt"), "synset mapping"));
        string prompt = options.Setting("prompt", DefaultPrompt);
        string? boxesDir = options.Settings.TryGetValue("boxes", out var b) ? Path.Combine(options.Root, b) : null;
        string solution = Path.Combine(options.Root, "LOC_val_solution.csv");
        var items = File.Exists(solution) ? FlatItems(options, solution) : FolderItems(options, split);
        return items.Select(item => new PendingSample(item.Id, () =>
        {
            if (item.Error is not null) throw new SampleErrorException(item.Error);
            string image = DatasetPaths.ResolveFile(options.Root, item.RelativeImage, item.Id, item.IndexFile, item.Record, "ImageId", item.Hint);
            IReadOnlyList<BoundingBox> boxes = item.Boxes;
            if (boxesDir is not null)
            {
                var xml = Path.Combine(boxesDir, $"{item.Id}.xml");
                if (File.Exists(xml)) boxes = VocAnnotation.Read(xml, item.Id).Objects.Where(o => o.Name == item.Wnid).Select(o => o.Box).ToList();
            }
            return MakeSample(item.Id, split, ImageReference.FromFile(image), prompt, synsets, item.Wnid, boxes);
        })).ToList();
    }

    /// <summary>The hub export names the split "validation".</summary>
    public static IReadOnlyList<string> HubSplitNames(string split) => split == "val" ? ["validation", "val"] : [split];

    /// <summary>The sample of one image, the same from every layout.</summary>
    internal Sample MakeSample(string id, string split, ImageReference image, string prompt, SynsetMapping synsets, string wnid, IReadOnlyList<BoundingBox> boxes) => new()
    {
        Id = id, Dataset = Name, Split = split,
        Image = image,
        Question = prompt, Prompt = prompt,
        Answers = synsets.Names(wnid),
        Evidence = boxes.Count > 0 ? new Evidence(boxes) : null,
        QuestionType = wnid,
        Metadata = new Dictionary<string, string> { ["wnid"] = wnid },
    };

    /// <summary>The label's boxes per image id from <c>LOC_val_solution.csv</c> (errors are left to the flat layout's reader).</summary>
    internal Dictionary<string, IReadOnlyList<BoundingBox>> SolutionBoxes(DatasetOptions options, string solution) =>
        FlatItems(options, solution).Where(i => i.Error is null).ToDictionary(i => i.Id, i => i.Boxes, StringComparer.Ordinal);

    private sealed record Item(string Id, string Wnid, string RelativeImage, IReadOnlyList<BoundingBox> Boxes, string IndexFile, string Record, SampleError? Error = null, string? Hint = null);

    private IEnumerable<Item> FlatItems(DatasetOptions options, string solution)
    {
        // Kaggle's download keeps the images under ILSVRC/Data/CLS-LOC/{split}; the ILSVRC2012 tar unpacks them flat.
        string split = options.Split ?? DefaultSplit;
        string imagesDir = options.Setting("images", Directory.Exists(Path.Combine(options.Root, KaggleImages(split))) ? KaggleImages(split) : ".");
        string hint = $"looked in '{Path.GetFullPath(Path.Combine(options.Root, imagesDir))}' (setting `images` names the folder of the JPEGs, relative to the root, e.g. {KaggleImages(split)})";
        var (header, rows) = CsvTable.Read(solution);
        if (header.Count < 2 || header[0].Trim() != "ImageId" || header[1].Trim() != "PredictionString")
            throw new DatasetLayoutException(Name, $"'{solution}' header is '{string.Join(",", header)}'.", ExpectedLayout);
        foreach (var row in rows.OrderBy(r => r.Fields[0], StringComparer.Ordinal))
        {
            string record = $"line {row.Line}";
            string id = row.Fields[0].Trim();
            if (row.Fields.Count != 2)
            {
                yield return new Item(id, "", "", [], solution, record, new SampleError(id, solution, record, null, $"row has {row.Fields.Count} columns, expected 2"));
                continue;
            }
            var tokens = row.Fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0 || tokens.Length % 5 != 0)
            {
                yield return new Item(id, "", "", [], solution, record, new SampleError(id, solution, record, "PredictionString", $"{tokens.Length} tokens; expected groups of 5 (wnid xmin ymin xmax ymax)"));
                continue;
            }
            string wnid = tokens[0];
            var boxes = new List<BoundingBox>();
            SampleError? error = null;
            for (int g = 0; g < tokens.Length; g += 5)
            {
                if (tokens[g] != wnid) continue; // the label's boxes; other synsets' boxes are not evidence for it
                var v = new double[4];
                for (int k = 0; k < 4; k++)
                    if (!double.TryParse(tokens[g + 1 + k], NumberStyles.Float, CultureInfo.InvariantCulture, out v[k]))
                        error ??= new SampleError(id, solution, record, "PredictionString", $"'{tokens[g + 1 + k]}' is not a number");
                if (v[0] >= v[2] || v[1] >= v[3]) error ??= new SampleError(id, solution, record, "PredictionString", $"empty box ({string.Join(' ', v)})");
                boxes.Add(new BoundingBox(v[0], v[1], v[2], v[3]));
            }
            yield return new Item(id, wnid, Path.Combine(imagesDir, $"{id}.JPEG"), boxes, solution, record, error, hint);
        }
    }

    private IEnumerable<Item> FolderItems(DatasetOptions options, string split)
    {
        string dir = DatasetPaths.RequireDirectory(this, Path.Combine(options.Root, split), "ImageFolder split (no LOC_val_solution.csv either)");
        foreach (var classDir in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            string wnid = Path.GetFileName(classDir);
            foreach (var file in Directory.GetFiles(classDir).Where(IsImage).Order(StringComparer.Ordinal))
                yield return new Item(Path.GetFileNameWithoutExtension(file), wnid, Path.GetRelativePath(options.Root, file), [], dir, wnid);
        }
    }

    private static bool IsImage(string path) => Path.GetExtension(path).ToLowerInvariant() is ".jpeg" or ".jpg" or ".png";
}
