using System.Diagnostics;
using System.Globalization;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;

namespace LvlmEval.Bench.Imaging;

/// <summary>
/// Decode a 640×480 JPEG and CLIP-preprocess it to [3, 336, 336]: ours against PIL + numpy on the same file in the
/// same run. Ours and the peer alternate over several rounds so load on a shared machine hits both alike.
/// </summary>
public sealed class DecodePreprocessBenchmark : IBenchmark
{
    private const int Rounds = 5;
    private const int IterationsPerRound = 40;

    public string Name => "imaging-clip";

    public string Description => "JPEG 640×480 decode + CLIP preprocess (shortest edge 336, bicubic, crop 336, normalise) vs PIL + numpy";

    public void Run()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lvlmeval-bench-{Environment.ProcessId}.jpg");
        try
        {
            PeerProcess.RunPython("imaging_clip_preprocess.py", "make", path);
            var config = PreprocessorConfig.ClipDefaults() with { Size = ResizeTarget.Shortest(336), CropSize = (336, 336) };
            var processor = new ImageProcessor(config);
            var decoded = RgbImage.Load(path);
            Action[] steps =
            [
                () => processor.Preprocess(RgbImage.Load(path)),
                () => RgbImage.Load(path),
                () => processor.Preprocess(decoded),
            ];

            // Per step: medians and minima of ours and the peer, one entry per round.
            var ours = new List<(double Median, double Min)>[steps.Length];
            var peer = new List<(double Median, double Min)>[steps.Length];
            for (int s = 0; s < steps.Length; s++) { ours[s] = new(); peer[s] = new(); }
            for (int round = 0; round < Rounds; round++)
            {
                for (int s = 0; s < steps.Length; s++) ours[s].Add(Measure(steps[s]));
                var values = PeerProcess.RunPython("imaging_clip_preprocess.py", "run", path, IterationsPerRound.ToString())
                    .Trim().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                for (int s = 0; s < steps.Length; s++) peer[s].Add((values[2 * s], values[2 * s + 1]));
            }

            string[] names = ["decode + CLIP preprocess", "  decode JPEG to RGB", "  preprocess decoded image"];
            Console.WriteLine($"{Rounds} alternating rounds × {IterationsPerRound} iterations; median of round medians, and overall minimum");
            Console.WriteLine($"{"step",-28} {"ours med",9} {"peer med",9} {"ratio",6}   {"ours min",9} {"peer min",9} {"ratio",6}");
            for (int s = 0; s < steps.Length; s++)
            {
                double om = MedianOf(ours[s].Select(v => v.Median)), pm = MedianOf(peer[s].Select(v => v.Median));
                double oMin = ours[s].Min(v => v.Min), pMin = peer[s].Min(v => v.Min);
                Console.WriteLine($"{names[s],-28} {om,9:F3} {pm,9:F3} {om / pm,6:F3}   {oMin,9:F3} {pMin,9:F3} {oMin / pMin,6:F3}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (double Median, double Min) Measure(Action action)
    {
        for (int i = 0; i < 5; i++) action();
        var times = new double[IterationsPerRound];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return (times[times.Length / 2], times[0]);
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
