using System.Runtime.InteropServices;

namespace LvlmEval.Results;

/// <summary>
/// Write-then-rename: data goes to <c>name.tmp</c>, is flushed to disk, then renamed over the final name, so a crash
/// leaves either the old file or the complete new one, never a partial file under the final name.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary path used while <paramref name="finalPath"/> is being written.</summary>
    public static string TempPathFor(string finalPath) => finalPath + ".tmp";

    /// <summary>Creates (truncating) the temporary file for <paramref name="finalPath"/>.</summary>
    public static FileStream CreateTemp(string finalPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(finalPath));
        if (directory is not null) Directory.CreateDirectory(directory);
        return new FileStream(TempPathFor(finalPath), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
    }

    /// <summary>Flushes <paramref name="temp"/> to disk, closes it, renames it to <paramref name="finalPath"/> and syncs the folder.</summary>
    public static void Commit(FileStream temp, string finalPath)
    {
        temp.Flush(flushToDisk: true);
        temp.Dispose();
        File.Move(TempPathFor(finalPath), finalPath, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(finalPath)));
    }

    /// <summary>Closes and deletes the temporary file (after a failed or abandoned write).</summary>
    public static void Abandon(FileStream temp, string finalPath)
    {
        temp.Dispose();
        try { File.Delete(TempPathFor(finalPath)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // The rename is durable only once the directory entry is on disk; .NET has no API for this, so use POSIX fsync.
    private static void SyncDirectory(string? directory)
    {
        if (directory is null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        int fd = Posix.open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        Posix.fsync(fd);
        Posix.close(fd);
    }

    private static partial class Posix
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
