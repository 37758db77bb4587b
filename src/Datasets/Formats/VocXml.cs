using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace LvlmEval.Datasets.Formats;

/// <summary>One object of a PASCAL-VOC-style annotation: its name and box (converted to 0-based, end-exclusive pixels).</summary>
public sealed record AnnotatedObject(string Name, BoundingBox Box, bool Difficult);

/// <summary>A PASCAL-VOC-style XML annotation (VOC Annotations/, ImageNet bbox XML).</summary>
public sealed record VocAnnotation(int Width, int Height, IReadOnlyList<AnnotatedObject> Objects)
{
    /// <summary>
    /// Parses an annotation file. VOC boxes are 1-based inclusive pixel indices, sometimes written as floats; they become
    /// [xmin − 1, xmax). A problem throws <see cref="SampleErrorException"/> naming the file, the object and the field.
    /// </summary>
    public static VocAnnotation Read(string path, string sampleId)
    {
        XDocument doc;
        try { doc = XDocument.Load(path); }
        catch (XmlException e) { throw Fail(sampleId, path, null, null, $"malformed XML: {e.Message}"); }
        catch (IOException e) { throw Fail(sampleId, path, null, null, $"cannot read: {e.Message}"); }
        var root = doc.Root ?? throw Fail(sampleId, path, null, null, "empty XML document");
        var size = root.Element("size");
        int width = (int)Number(size?.Element("width"), sampleId, path, null, "size/width");
        int height = (int)Number(size?.Element("height"), sampleId, path, null, "size/height");
        var objects = new List<AnnotatedObject>();
        int k = 0;
        foreach (var o in root.Elements("object"))
        {
            string record = $"object {k++}";
            var name = o.Element("name")?.Value.Trim();
            if (string.IsNullOrEmpty(name)) throw Fail(sampleId, path, record, "name", "missing");
            var b = o.Element("bndbox") ?? throw Fail(sampleId, path, record, "bndbox", "missing");
            var box = new BoundingBox(
                Number(b.Element("xmin"), sampleId, path, record, "bndbox/xmin") - 1,
                Number(b.Element("ymin"), sampleId, path, record, "bndbox/ymin") - 1,
                Number(b.Element("xmax"), sampleId, path, record, "bndbox/xmax"),
                Number(b.Element("ymax"), sampleId, path, record, "bndbox/ymax"));
            if (width > 0 && height > 0 && !box.FitsIn(width, height))
                throw Fail(sampleId, path, record, "bndbox", $"box ({box.XMin + 1}, {box.YMin + 1}, {box.XMax}, {box.YMax}) lies outside the {width}×{height} image");
            objects.Add(new AnnotatedObject(name, box, o.Element("difficult")?.Value.Trim() == "1"));
        }
        return new VocAnnotation(width, height, objects);
    }

    private static double Number(XElement? e, string sampleId, string path, string? record, string field)
    {
        if (e is null) throw Fail(sampleId, path, record, field, "missing");
        if (!double.TryParse(e.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw Fail(sampleId, path, record, field, $"'{e.Value.Trim()}' is not a number");
        return v;
    }

    private static SampleErrorException Fail(string sampleId, string path, string? record, string? field, string message) =>
        new(new SampleError(sampleId, path, record, field, message));
}
