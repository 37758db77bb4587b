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

        double forward = Timing.MedianSeconds(() => block.Forward(x, cos, sin));
        double forwardBackward = Timing.MedianSeconds(() =>
        {
            foreach (var p in block.Parameters.Values) p.Grad = null;
            using (Autograd.Enable()) Ops.Sum(block.Forward(x, cos, sin)).Backward();
        });

        var peer = JsonDocument.Parse(PeerProcess.RunPython("block_peer.py", threads.ToString(), Hidden.ToString(), Heads.ToString(),
            KvHeads.ToString(), Intermediate.ToString(), Seq.ToString())).RootElement;
        double torchForward = peer.GetProperty("forward").GetDouble(), torchBoth = peer.GetProperty("forward_backward").GetDouble();
        Console.WriteLine($"threads: {threads} (OpenBLAS and torch.set_num_threads); torch {peer.GetProperty("torch").GetString()}");
        Console.WriteLine($"{"pass",-18} {"ours ms",9} {"torch ms",9} {"ours/torch",11}");
        Console.WriteLine($"{"forward",-18} {forward * 1e3,9:F1} {torchForward * 1e3,9:F1} {forward / torchForward,11:F3}");
        Console.WriteLine($"{"forward+backward",-18} {forwardBackward * 1e3,9:F1} {torchBoth * 1e3,9:F1} {forwardBackward / torchBoth,11:F3}");
    }
}
