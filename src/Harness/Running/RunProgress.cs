using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LvlmEval.Harness.Running;

/// <summary>Progress of a run: a Spectre.Console bar with samples/s and ETA on a terminal, plain lines when output is redirected.</summary>
public static class RunProgress
{
    /// <summary>Runs <paramref name="body"/>, which calls the given callback once per finished (model, dataset, sample) with a label.</summary>
    public static void Run(int total, bool interactive, TextWriter plain, Action<Action<string>> body)
    {
        if (interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SamplesPerSecondColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("samples", maxValue: Math.Max(total, 1));
                    body(label =>
                    {
                        task.Description = Markup.Escape(label);
                        task.Increment(1);
                    });
                    task.Value = task.MaxValue;
                });
            return;
        }
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.FromSeconds(-10);
        int done = 0;
        body(label =>
        {
            done++;
            var now = clock.Elapsed;
            if (done != total && now - lastPrint < TimeSpan.FromSeconds(2)) return;
            lastPrint = now;
            double rate = done / Math.Max(now.TotalSeconds, 1e-9);
            var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
            plain.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{total}] {rate:0.00} samples/s, ETA {eta:hh\\:mm\\:ss} {label}"));
        });
    }

    private sealed class SamplesPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Speed ?? 0:0.00} samples/s"));
    }
}
