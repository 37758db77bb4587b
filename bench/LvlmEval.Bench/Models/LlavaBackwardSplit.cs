using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Memory;
using LvlmEval.Tensors.Native;
using Process = System.Diagnostics.Process;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace LvlmEval.Bench.Models;

/// <summary>
/// Where the time of a gradient trace goes on the Qwen2-0.5B-shaped LLaVA: plain forward, forward under autograd and
/// backward of one logit, each with CPU user and kernel time, page faults, GC and buffer-pool counts; and the last
/// round's backward split by op (a stopwatch around each node's backward).
/// </summary>
public sealed class LlavaBackwardSplit : IBenchmark
{
    public string Name => "llava-backward";
    public string Description => "Qwen2-0.5B-shaped LLaVA: gradient trace split into forward, backward and backward per op";

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        var model = HalfBillionLlava.Load();
        var prepared = HalfBillionLlava.Prompt(model);
        var answer = model.Generate(prepared, 16).TokenIds;
        int last = prepared.TokenIds.Length + answer.Length - 1;
        var plain = new TraceOptions { LogitsFrom = last };
        var gradients = plain with { LanguageAttentions = true, VisionAttentions = true, Gradients = true };
        var perOp = new Dictionary<string, (long Ticks, int Calls)>();
        for (int round = 0; round < 3; round++)
        {
            var start = Snapshot();
            var clock = Stopwatch.StartNew();
            model.Forward(prepared, answer, plain);
            double plainS = clock.Elapsed.TotalSeconds;
            var before = Snapshot();
            Console.WriteLine($"  plain:    {before - start}");
            clock.Restart();
            var trace = model.Forward(prepared, answer, gradients);
            double forwardS = clock.Elapsed.TotalSeconds;
            var mid = Snapshot();
            perOp.Clear();
            Autograd.BackwardObserver = (name, ticks) =>
                perOp[name] = perOp.TryGetValue(name, out var v) ? (v.Ticks + ticks, v.Calls + 1) : (ticks, 1);
            clock.Restart();
            trace.Backward(trace.Logit(last, answer[^1]));
            double backwardS = clock.Elapsed.TotalSeconds;
            Autograd.BackwardObserver = null;
            var after = Snapshot();
            Console.WriteLine($"round {round}: plain {plainS:F3} s; gradient forward {forwardS:F3} s ({forwardS / plainS:F3}×); backward {backwardS:F3} s " +
                              $"({backwardS / plainS:F3}×); total {(forwardS + backwardS) / plainS:F3}× plain");
            Console.WriteLine($"  forward:  {mid - before}");
            Console.WriteLine($"  backward: {after - mid}");
        }
        Console.WriteLine($"{"op (last round)",-24} {"calls",6} {"s",8}");
        foreach (var (name, (ticks, calls)) in perOp.OrderByDescending(p => p.Value.Ticks))
            Console.WriteLine($"{name,-24} {calls,6} {ticks / (double)Stopwatch.Frequency,8:F3}");
    }

    private static ProcessSnapshot Snapshot()
    {
        var p = Process.GetCurrentProcess();
        // Field 10 of /proc/self/stat (the 8th after the command name) counts minor page faults: pages mapped fresh.
        var stat = File.ReadAllText("/proc/self/stat");
        long faults = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7]);
        return new(p.UserProcessorTime.TotalSeconds, p.PrivilegedProcessorTime.TotalSeconds, GC.CollectionCount(0), GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalSeconds, faults, BufferPool.Reused, BufferPool.Allocated, BufferPool.Collections, BufferPool.IdleBytes);
    }

    private sealed record ProcessSnapshot(double User, double Kernel, int Gen0, int Gen2, double Pause, long Faults,
        long Reused, long Fresh, long Collections, long Idle)
    {
        public static string operator -(ProcessSnapshot a, ProcessSnapshot b) =>
            $"user {a.User - b.User:F2} s, kernel {a.Kernel - b.Kernel:F2} s, gen0 {a.Gen0 - b.Gen0}, gen2 {a.Gen2 - b.Gen2}, " +
            $"GC pause {a.Pause - b.Pause:F3} s, minor faults {a.Faults - b.Faults:N0}, pool: reused {a.Reused - b.Reused}, " +
            $"fresh {a.Fresh - b.Fresh}, collections {a.Collections - b.Collections}, idle {a.Idle / 1e9:F2} GB";
    }
}
