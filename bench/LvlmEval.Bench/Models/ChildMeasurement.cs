using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LvlmEval.Bench.Models;

/// <summary>
/// Runs a measurement in a fresh process of this benchmark binary, so each configuration's peak resident memory
/// (VmHWM) is its own: the parent sets <see cref="Variable"/> to a JSON request and reads one JSON line back.
/// </summary>
internal static class ChildMeasurement
{
    private const string Variable = "LVLMEVAL_BENCH_CHILD", Marker = "CHILD-RESULT ";

    /// <summary>The request when this process is a child, else null.</summary>
    public static JsonObject? Request => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } json ? JsonNode.Parse(json)!.AsObject() : null;

    /// <summary>Prints the child's result for the parent.</summary>
    public static void Reply(JsonObject result) => Console.WriteLine(Marker + result.ToJsonString());

    /// <summary>Runs benchmark <paramref name="benchmark"/> in a child with <paramref name="request"/>; echoes its other output.</summary>
    public static JsonObject Run(string benchmark, JsonObject request)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(ChildMeasurement).Assembly.Location);
        psi.ArgumentList.Add(benchmark);
        psi.Environment[Variable] = request.ToJsonString();
        using var process = Process.Start(psi)!;
        JsonObject? result = null;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal)) result = JsonNode.Parse(line[Marker.Length..])!.AsObject();
            else Console.WriteLine("  | " + line);
        }
        process.WaitForExit();
        return result ?? throw new InvalidOperationException($"the {benchmark} child exited with {process.ExitCode} without a result");
    }

    /// <summary>Peak resident memory of this process so far (VmHWM: anonymous and file-backed pages, mapped weights included).</summary>
    public static long PeakResidentBytes() => Status("VmHWM:");

    /// <summary>Starts a new peak: Linux resets VmHWM to the current resident size when 5 is written to clear_refs.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Status(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return -1;
    }

    /// <summary>Seconds of <paramref name="action"/>.</summary>
    public static double Seconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Reads a double property.</summary>
    public static double Number(this JsonObject o, string key) => o[key]!.GetValue<double>();

    internal static string Json(object value) => JsonSerializer.Serialize(value);
}
