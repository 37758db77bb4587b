namespace LvlmEval.Tests.Infrastructure;

/// <summary>Locates the repository root (the folder holding LvlmEval.sln) from the test assembly.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LvlmEval.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"LvlmEval.sln not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;
}
