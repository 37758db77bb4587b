using LvlmEval.Models.Config;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Text;
using LvlmEval.Tensors;

namespace LvlmEval.Bench.Models;

/// <summary>Decoder layer 0 of a LLaVA checkpoint, loaded alone (weights as stored), for per-layer timings.</summary>
internal sealed class LayerOnly : IDisposable
{
    private readonly WeightLoader _loader;
    private readonly DecoderLayer _layer;
    private readonly TextConfig _config;

    public LayerOnly(string folder)
    {
        var config = LlavaConfig.Load(Path.Combine(folder, "config.json"));
        _config = config.Text;
        _loader = new WeightLoader(folder);
        var layout = CheckpointLayout.Detect(_loader.Checkpoint.Names);
        _layer = new DecoderLayer(_loader.Root.Pp(layout.LanguageModel).Pp("layers").Pp(0), config.Text, config.Source);
    }

    /// <summary>Times one forward of the layer over a random hidden state of <paramref name="sequence"/> tokens per call (inputs made once).</summary>
    public Func<double> ForwardTimer(int sequence)
    {
        var x = Ops.Mul(Tensor.Randn(new Random(1), 1, sequence, _config.HiddenSize), 0.5f);
        var (cos, sin) = new RotaryEmbedding(_config).Tables(Enumerable.Range(0, sequence).ToArray());
        return () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _layer.Forward(x, cos, sin, null, 0);
            return clock.Elapsed.TotalSeconds;
        };
    }

    public void Dispose() => _loader.Dispose();
}
