using LvlmEval.Datasets;

namespace LvlmEval.Tools;

/// <summary><c>datasets inspect --format NAME --root DIR [--split S] [--limit N] [--first N] [--set key=value …] [--json]</c>.</summary>
public static class DatasetsInspectCommand
{
    public const string Usage = "datasets inspect --format NAME --root DIR [--split S] [--limit N] [--first N] [--set key=value]... [--json]";

    /// <summary>Parses the arguments after "datasets inspect", prints the summary; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? format = null, root = null, split = null;
        int? limit = null;
        int first = 5;
        bool json = false;
        var settings = new Dictionary<string, string>();
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--format": format = Next(); break;
                case "--root": root = Next(); break;
                case "--split": split = Next(); break;
                case "--limit": limit = int.Parse(Next()); break;
                case "--first": first = int.Parse(Next()); break;
                case "--json": json = true; break;
                case "--set":
                    var kv = Next().Split('=', 2);
                    if (kv.Length != 2) throw new ArgumentException($"--set takes key=value, got '{args[i]}'.");
                    settings[kv[0]] = kv[1];
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Usage}");
            }
        }
        if (format is null) throw new ArgumentException($"--format is required ({string.Join(", ", DatasetRegistry.All.Names)}). Usage: {Usage}");
        var summary = DatasetInspector.Inspect(format, new DatasetOptions { Root = root ?? "", Split = split, Limit = limit, Settings = settings }, first);
        output.Write(json ? summary.ToJson() + Environment.NewLine : summary.ToText());
        return 0;
    }
}
