using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Repository;

/// <summary>An unresolved merge leaves "&lt;&lt;&lt;&lt;&lt;&lt;&lt; " / "&gt;&gt;&gt;&gt;&gt;&gt;&gt; " lines that build and render silently in docs.</summary>
public sealed class ConflictMarkerTests
{
    private static readonly string[] TextExtensions = [".md", ".cs", ".yaml", ".yml", ".py", ".sh", ".json", ".csproj", ".props", ".js", ".html", ".css"];
    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", "reports"];

    [Test]
    public void NoSourceOrDocFileCarriesMergeConflictMarkers()
    {
        var offenders = new List<string>();
        foreach (var file in TextFiles(RepoPaths.Root))
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].StartsWith("<<<<<<< ", StringComparison.Ordinal) || lines[i].StartsWith(">>>>>>> ", StringComparison.Ordinal))
                    offenders.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}:{i + 1}");
        }
        Assert.That(offenders, Is.Empty);
    }

    private static IEnumerable<string> TextFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            if (TextExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder))
            if (!SkippedFolders.Contains(Path.GetFileName(sub), StringComparer.Ordinal))
                foreach (var file in TextFiles(sub)) yield return file;
    }
}
