namespace LvlmEval.Datasets;

/// <summary>Path checks shared by the loaders: files must exist and stay inside the dataset root.</summary>
public static class DatasetPaths
{
    /// <summary>
    /// Resolves <paramref name="relative"/> under <paramref name="root"/>; a path that escapes the root (../, absolute)
    /// or a missing file becomes a <see cref="SampleErrorException"/> naming the record and field.
    /// </summary>
    public static string ResolveFile(string root, string relative, string sampleId, string indexFile, string? record, string field, string? hint = null)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootFull, StringComparison.Ordinal))
            throw new SampleErrorException(new SampleError(sampleId, indexFile, record, field, $"path '{relative}' resolves outside the dataset root '{root}'"));
        if (!File.Exists(full))
            throw new SampleErrorException(new SampleError(sampleId, indexFile, record, field, $"image file '{full}' does not exist{(hint is null ? "" : "; " + hint)}"));
        return full;
    }

    /// <summary>Throws a <see cref="DatasetLayoutException"/> unless the file exists.</summary>
    public static string RequireFile(IDatasetLoader loader, string path, string what)
    {
        if (!File.Exists(path))
            throw new DatasetLayoutException(loader.Name, $"{what} '{path}' does not exist.", loader.ExpectedLayout);
        return path;
    }

    /// <summary>Throws a <see cref="DatasetLayoutException"/> unless the folder exists.</summary>
    public static string RequireDirectory(IDatasetLoader loader, string path, string what)
    {
        if (!Directory.Exists(path))
            throw new DatasetLayoutException(loader.Name, $"{what} '{path}' does not exist.", loader.ExpectedLayout);
        return path;
    }
}
