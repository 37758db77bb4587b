using LvlmEval.Explorer.Serving;

namespace LvlmEval.Explorer.Runs;

/// <summary>Resolves a requested relative path inside a served run folder; anything that would leave the folder is refused.</summary>
public static class RunFiles
{
    /// <summary>The full path of <paramref name="relative"/> inside <paramref name="root"/>, or an <see cref="ExplorerRequestException"/> (traversal, absolute path, missing file).</summary>
    public static string Resolve(string root, string relative)
    {
        var folder = Path.GetFullPath(root);
        if (string.IsNullOrEmpty(relative) || relative.Contains('\0') || relative.Contains('\\') || Path.IsPathRooted(relative)
            || relative.Split('/').Any(segment => segment is ".." or "."))
            throw new ExplorerRequestException($"path '{relative}' is refused: only files inside the run folder are served");
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        if (!full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ExplorerRequestException($"path '{relative}' is refused: only files inside the run folder are served");
        var file = new FileInfo(full);
        if (!file.Exists) throw new ExplorerRequestException($"'{relative}' is not a file of the run", notFound: true);
        // A symbolic link inside the folder may point anywhere: serve it only when its target is inside the folder too.
        if (file.LinkTarget is not null)
        {
            var target = file.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is null || !target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ExplorerRequestException($"path '{relative}' is refused: it links outside the run folder");
        }
        return full;
    }

    /// <summary>The content type of a run file, by extension.</summary>
    public static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".jsonl" or ".txt" or ".md" or ".csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
