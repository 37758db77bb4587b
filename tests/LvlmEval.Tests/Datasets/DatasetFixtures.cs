using System.Globalization;
using System.Text.Json;
using LvlmEval.Datasets.Voc;
using LvlmEval.Imaging;

namespace LvlmEval.Tests.Datasets;

/// <summary>
/// Writes small copies of each benchmark in its exact distributed layout (file names, folders, JSON/CSV/XML schemas
/// with all their fields, real JPEG/PNG files, VOC palette masks), including the broken records the tests expect
/// to be reported.
/// </summary>
public static class DatasetFixtures
{

    internal static void Image(string path, int width = 16, int height = 12, byte shade = 90)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var img = new RgbImage(width, height);
        for (int i = 0; i < img.Pixels.Length; i++) img.Pixels[i] = (byte)(shade + i % 50);
        img.Save(path);
    }

    private static void Text(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>
    /// MMVP: indices 1–4 (two pairs), 99/100 and 279/280 with the original swapped labels, a row with a missing column
    /// (line 10), and index 5 whose image is missing. Uses the misspelled image folder when asked.
    /// </summary>
    public static void Mmvp(string root, bool misspelledFolder = false)
    {
        string images = Path.Combine(root, misspelledFolder ? "MMVP Imgaes" : "MMVP Images");
        var rows = new List<string> { "Index,Question,Options,Correct Answer" };
        void Row(int index, string question, string options, string answer, bool withImage = true)
        {
            rows.Add($"{index},\"{question.Replace("\"", "\"\"")}\",\"{options}\",{answer}");
            if (withImage) Image(Path.Combine(images, $"{index}.jpg"), shade: (byte)index);
        }
        Row(1, "Is the door open or closed?", "(a) Open (b) Closed", "(a)");
        Row(2, "Is the door open or closed?", "(a) Open (b) Closed", "(b)");
        Row(3, "Are there \"two\" dogs, or one?", "(a) Two (b) One", "(b)");
        Row(4, "Are there \"two\" dogs, or one?", "(a) Two (b) One", "(a)");
        Row(99, "Does the elephant have long or short tusks?", "(a) Long (b) Short", "(a)");
        Row(100, "Does the elephant have long or short tusks?", "(a) Long (b) Short", "(b)");
        Row(279, "Is the elderly person standing or sitting in the picture?", "(a) Standing (b) Sitting", "(a)");
        Row(280, "Is the elderly person standing or sitting in the picture?", "(a) Standing (b) Sitting", "(b)");
        rows.Add("6,\"Missing a column\",(a)");
        Row(5, "Is the image missing?", "(a) Yes (b) No", "(a)", withImage: false);
        Text(Path.Combine(root, "Questions.csv"), string.Join("\r\n", rows) + "\r\n");
    }

    /// <summary>
    /// VQAv2 val2014: five questions on two COCO images. Question 4203 has no "question" field, 4204's image is
    /// missing, 4205 has no annotation. Answers of 4201 and 4202 are the 10-answer lists below.
    /// </summary>
    public static void VqaV2(string root)
    {
        Image(Path.Combine(root, "val2014", "COCO_val2014_000000000042.jpg"));
        Image(Path.Combine(root, "val2014", "COCO_val2014_000000000073.jpg"));
        var info = new { description = "This is v2.0 of the VQA dataset.", url = "http://visualqa.org", version = "2.0", year = 2017, contributor = "VQA Team", date_created = "2017-04-26 17:07:13" };
        var license = new { url = "http://creativecommons.org/licenses/by/4.0/", name = "Creative Commons Attribution 4.0 International License" };
        var questions = new object[]
        {
            new { image_id = 42, question = "What color is the cat?", question_id = 4201 },
            new { image_id = 42, question = "How many cats are there?", question_id = 4202 },
            new { image_id = 73, question_id = 4203 },
            new { image_id = 99, question = "Is it raining?", question_id = 4204 },
            new { image_id = 73, question = "Where is the bus?", question_id = 4205 },
        };
        Text(Path.Combine(root, "v2_OpenEnded_mscoco_val2014_questions.json"), JsonSerializer.Serialize(new
        {
            info, task_type = "Open-Ended", data_type = "mscoco", license, data_subtype = "val2014", questions,
        }));
        object Annotation(int qid, int imageId, string qtype, string atype, string mc, string[] answers) => new
        {
            question_type = qtype, multiple_choice_answer = mc,
            answers = answers.Select((a, i) => new { answer = a, answer_confidence = i % 3 == 0 ? "maybe" : "yes", answer_id = i + 1 }),
            image_id = imageId, answer_type = atype, question_id = qid,
        };
        Text(Path.Combine(root, "v2_mscoco_val2014_annotations.json"), JsonSerializer.Serialize(new
        {
            info, license, data_subtype = "val2014",
            annotations = new[]
            {
                Annotation(4201, 42, "what color is the", "other", "black", VqaAnswers4201),
                Annotation(4202, 42, "how many", "number", "2", Enumerable.Repeat("2", 9).Append("two").ToArray()),
                Annotation(4203, 73, "what is", "other", "bus", Enumerable.Repeat("bus", 10).ToArray()),
                Annotation(4204, 99, "is it", "yes/no", "no", Enumerable.Repeat("no", 10).ToArray()),
            },
            data_type = "mscoco",
        }));
    }

    /// <summary>The ten human answers of question 4201.</summary>
    public static readonly string[] VqaAnswers4201 = ["black", "black", "black and white", "black", "dark", "black", "black", "gray", "black", "black"];

    /// <summary>A VOC object: class and box in VOC's 1-based inclusive coordinates (floats allowed).</summary>
    public sealed record VocObject(string Name, double XMin, double YMin, double XMax, double YMax);

    /// <summary>The VOC fixture's images: id, size and objects; masks paint each object's box with its class index and a void border.</summary>
    public static readonly (string Id, int Width, int Height, VocObject[] Objects)[] VocImages =
    [
        ("2008_000001", 20, 16, [new("dog", 2, 3, 8, 10), new("person", 12, 2, 18, 14)]),
        ("2008_000002", 18, 14, [new("pottedplant", 3.5, 2, 9, 7), new("pottedplant", 11, 8, 15, 13)]),
        ("2008_000003", 16, 16, [new("cat", 1, 1, 40, 10)]), // box outside the image
    ];

    /// <summary>VOC 2012 under ROOT/VOCdevkit/VOC2012, split "val" listing the three images plus one without annotation.</summary>
    public static void Voc(string root)
    {
        string voc = Path.Combine(root, "VOCdevkit", "VOC2012");
        var palette = VocClasses.Palette();
        foreach (var (id, w, h, objects) in VocImages)
        {
            Image(Path.Combine(voc, "JPEGImages", $"{id}.jpg"), w, h);
            var indices = new byte[w * h];
            foreach (var o in objects)
            {
                int cls = VocClasses.IndexOf(o.Name);
                for (int y = (int)o.YMin - 1; y < Math.Min((int)o.YMax, h); y++)
                    for (int x = (int)o.XMin - 1; x < Math.Min((int)o.XMax, w); x++)
                    {
                        bool border = y == (int)o.YMin - 1 || x == (int)o.XMin - 1;
                        indices[y * w + x] = border ? VocClasses.Void : (byte)cls;
                    }
            }
            Directory.CreateDirectory(Path.Combine(voc, "SegmentationClass"));
            new IndexedImage(w, h, indices, palette).Save(Path.Combine(voc, "SegmentationClass", $"{id}.png"));
            string F(double v) => v.ToString(CultureInfo.InvariantCulture);
            var objectsXml = string.Concat(objects.Select(o =>
                $"<object><name>{o.Name}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>" +
                $"<bndbox><xmin>{F(o.XMin)}</xmin><ymin>{F(o.YMin)}</ymin><xmax>{F(o.XMax)}</xmax><ymax>{F(o.YMax)}</ymax></bndbox></object>"));
            Text(Path.Combine(voc, "Annotations", $"{id}.xml"),
                $"<annotation><folder>VOC2012</folder><filename>{id}.jpg</filename><source><database>The VOC2008 Database</database>" +
                $"<annotation>PASCAL VOC2008</annotation><image>flickr</image></source><size><width>{w}</width><height>{h}</height><depth>3</depth></size>" +
                $"<segmented>1</segmented>{objectsXml}</annotation>");
        }
        Text(Path.Combine(voc, "ImageSets", "Segmentation", "val.txt"), string.Join("\n", VocImages.Select(i => i.Id).Append("2008_000004")) + "\n");
        Text(Path.Combine(voc, "ImageSets", "Segmentation", "train.txt"), "2008_000001\n");
    }

    /// <summary>ImageNet val, flat layout: three images (one row malformed), two synsets.</summary>
    public static void ImageNetFlat(string root)
    {
        SynsetFile(root);
        Image(Path.Combine(root, "ILSVRC2012_val_00000001.JPEG"), 20, 20);
        Image(Path.Combine(root, "ILSVRC2012_val_00000002.JPEG"), 20, 20);
        Image(Path.Combine(root, "ILSVRC2012_val_00000003.JPEG"), 20, 20);
        Text(Path.Combine(root, "LOC_val_solution.csv"),
            "ImageId,PredictionString\n" +
            "ILSVRC2012_val_00000002,n01751748 1 2 10 12 n01440764 0 0 5 5 n01751748 12 12 19 19 \n" +
            "ILSVRC2012_val_00000001,n01440764 3 4 15 16 \n" +
            "ILSVRC2012_val_00000003,n01440764 3 4 15 \n");
    }

    /// <summary>ImageNet val as an ImageFolder: val/&lt;wnid&gt;/*.JPEG.</summary>
    public static void ImageNetFolder(string root)
    {
        SynsetFile(root);
        Image(Path.Combine(root, "val", "n01440764", "ILSVRC2012_val_00000001.JPEG"));
        Image(Path.Combine(root, "val", "n01440764", "ILSVRC2012_val_00000009.JPEG"));
        Image(Path.Combine(root, "val", "n01751748", "ILSVRC2012_val_00000002.JPEG"));
    }

    private static void SynsetFile(string root) =>
        Text(Path.Combine(root, "LOC_synset_mapping.txt"), "n01440764 tench, Tinca tinca\nn01751748 sea snake\n");

    /// <summary>ChartQA test split: two human and two augmented records; augmented[1] has no label and human[1] escapes the root.</summary>
    public static void ChartQa(string root)
    {
        string test = Path.Combine(root, "ChartQA Dataset", "test");
        Image(Path.Combine(test, "png", "two_col_1.png"));
        Image(Path.Combine(test, "png", "multi_col_2.png"));
        Text(Path.Combine(test, "test_human.json"), JsonSerializer.Serialize(new object[]
        {
            new { imgname = "two_col_1.png", query = "What is the value of Japan?", label = "24.5" },
            new { imgname = "../../../../outside.png", query = "Which is higher?", label = "A" },
        }));
        Text(Path.Combine(test, "test_augmented.json"), JsonSerializer.Serialize(new object[]
        {
            new { imgname = "multi_col_2.png", query = "What is the sum of 2019?", label = "112" },
            new { imgname = "multi_col_2.png", query = "Which year is lowest?" },
        }));
        Image(Path.Combine(root, "outside.png"));
    }
}
