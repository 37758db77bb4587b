namespace LvlmEval.Bench;

/// <summary>A benchmark runnable from the command line by name; it prints its own ratio table.</summary>
public interface IBenchmark
{
    /// <summary>Command-line name, e.g. "sgemm".</summary>
    string Name { get; }

    /// <summary>One line saying what is compared against what.</summary>
    string Description { get; }

    /// <summary>Runs the measurement and prints results (ours, peer, ratio).</summary>
    void Run();
}

/// <summary>Finds every <see cref="IBenchmark"/> in this assembly, so adding a benchmark is adding a file.</summary>
public static class BenchmarkRegistry
{
    /// <summary>Benchmarks by name.</summary>
    public static Dictionary<string, IBenchmark> Discover() =>
        typeof(IBenchmark).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .ToDictionary(b => b.Name, StringComparer.Ordinal);
}
