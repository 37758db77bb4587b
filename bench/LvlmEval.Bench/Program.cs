using LvlmEval.Bench;

// Usage: LvlmEval.Bench [all | NAME...]   — runs the named benchmarks (all by default) and prints ratio tables.
var registry = BenchmarkRegistry.Discover();
var names = args.Length == 0 || args.Contains("all") ? registry.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() : args;
if (names.Length == 0) { Console.WriteLine("No benchmarks registered."); return 0; }
foreach (var name in names)
{
    if (!registry.TryGetValue(name, out var bench))
    {
        Console.Error.WriteLine($"Unknown benchmark '{name}'. Known: {string.Join(", ", registry.Keys.Order())}");
        return 2;
    }
    Console.WriteLine($"== {bench.Name}: {bench.Description}");
    bench.Run();
    Console.WriteLine();
}
return 0;
