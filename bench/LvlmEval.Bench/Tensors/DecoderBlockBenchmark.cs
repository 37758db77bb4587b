using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;
using LvlmEval.Tests.Tensors.Blocks;

namespace LvlmEval.Bench.Tensors;

/// <summary>A Llama decoder block (hidden 896, 14 heads, 2 KV heads, MLP 4864, seq 512) against PyTorch CPU, same threads, same run.</summary>
public sealed class DecoderBlockBenchmark : IBenchmark
{
    private const int Hidden = 896, Heads = 14, KvHeads = 2, Intermediate = 4864, Seq = 512;

    public string Name => "block";
    public string Description => $"Llama decoder block (hidden {Hidden}, {Heads}/{KvHeads} heads, MLP {Intermediate}, seq {Seq}) vs PyTorch CPU";

    public void Run()
    {
        int threads = Timing.Threads;
        OpenBlas.SetNumThreads(threads);
        var rng = new Random(1);
        var block = new LlamaBlock(Hidden, Heads, KvHeads, Intermediate, rng);
        var x = Tensor.Randn(rng, 1, Seq, Hidden);
        var (cos, sin) = RotaryTables.Compute(Enumerable.Range(0, Seq).ToArray(), RotaryTables.DefaultInverseFrequencies(Hidden / Heads, 10000f));

        // Rounds alternate ours and the PyTorch process, so load changes on a shared machine hit both; the median
        // ratio over rounds is the figure to read.
        const int rounds = 3;
        var forwardRatios = new double[rounds];
        var bothRatios = new double[rounds];
        Console.WriteLine($"threads: {threads} (OpenBLAS and torch.set_num_threads)");
        Console.WriteLine($"{"round",-6} {"pass",-18} {"ours ms",9} {"torch ms",9} {"ours/torch",11}");
        for (int round = 0; round < rounds; round++)
        {
            double forward = Timing.MedianSeconds(() => block.Forward(x, cos, sin));
            double forwardBackward = Timing.MedianSeconds(() =>
            {
                foreach (var p in block.Parameters.Values) p.Grad = null;
                using (Autograd.Enable()) Ops.Sum(block.Forward(x, cos, sin)).Backward();
            });
            var peer = JsonDocument.Parse(PeerProcess.RunPython("block_peer.py", threads.ToString(), Hidden.ToString(), Heads.ToString(),
                KvHeads.ToString(), Intermediate.ToString(), Seq.ToString())).RootElement;
            double torchForward = peer.GetProperty("forward").GetDouble(), torchBoth = peer.GetProperty("forward_backward").GetDouble();
            forwardRatios[round] = forward / torchForward;
            bothRatios[round] = forwardBackward / torchBoth;
            Console.WriteLine($"{round + 1,-6} {"forward",-18} {forward * 1e3,9:F1} {torchForward * 1e3,9:F1} {forwardRatios[round],11:F3}");
            Console.WriteLine($"{round + 1,-6} {"forward+backward",-18} {forwardBackward * 1e3,9:F1} {torchBoth * 1e3,9:F1} {bothRatios[round],11:F3}");
        }
        Array.Sort(forwardRatios);
        Array.Sort(bothRatios);
        Console.WriteLine($"median ratio: forward {forwardRatios[rounds / 2]:F3} (target ≤ 1.0), forward+backward {bothRatios[rounds / 2]:F3} (target ≤ 1.3)");
    }
}
