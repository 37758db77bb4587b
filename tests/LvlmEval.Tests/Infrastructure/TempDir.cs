namespace LvlmEval.Tests.Infrastructure;

/// <summary>A fresh temporary folder for a test's fixtures, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    /// <summary>Creates a new empty folder under the system temp path.</summary>
    public TempDir(string prefix = "lvlmeval")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies every file under <paramref name="from"/> to the same relative path under <paramref name="to"/> (a run folder moved elsewhere, or a copy to break).</summary>
    public static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            System.IO.File.Copy(file, target);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
