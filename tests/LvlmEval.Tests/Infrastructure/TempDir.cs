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

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
