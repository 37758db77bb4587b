using System.CommandLine;
using System.Globalization;
using LvlmEval.Training;

namespace LvlmEval.Harness.Cli;

/// <summary><c>train-tiny [--out DIR] [--seed N] [--variant standard|blank-image] [--steps N] …</c>: trains a tiny Shapes LLaVA.</summary>
public static class TrainTinyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var options = new Argument<string[]>("options") { Description = "Training options (see below).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("train-tiny", $"""
            Train the tiny LLaVA on Shapes with the project's own autograd and AdamW (about 30 minutes on 2 cores) and save it in Hugging Face layout.

            Usage: lvlm-eval {Usage}

            Examples:
              lvlm-eval train-tiny --out models/tiny-llava-shapes
              lvlm-eval train-tiny --variant blank-image --out models/tiny-llava-shapes-blank
            """) { options };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            // Every token after the verb, in order (options unknown to this parser included).
            var args = parse.Tokens.SkipWhile(t => t.Value != "train-tiny").Skip(1).Select(t => t.Value).ToArray();
            return Run(args, Console.Out);
        }));
        return command;
    }

    /// <summary>The options, as help and errors print them.</summary>
    public const string Usage = "train-tiny [--out DIR] [--seed N] [--variant standard|blank-image] [--steps N] [--batch N] [--lr X] [--warmup N] "
        + "[--blank P] [--star-yellow P] [--eval-images N] [--eval-seed N] [--compare DIR] "
        + "[--curriculum STEPS:OBJECTS:MIN_R:MAX_R[:GRID],...] [--type-weight TYPE:N,...] [--image-size N] [--patch-size N] [--vision-layers N] [--text-layers N] [--workers N]";

    /// <summary>Parses the arguments after "train-tiny", trains, prints progress and the accuracy; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var options = Parse(args);
        var progress = new SynchronousProgress<TrainingProgress>(p => output.WriteLine(p.ToString()));
        var log = new SynchronousProgress<string>(output.WriteLine);
        var result = TinyLlavaTrainer.Train(options, progress, log);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"saved {result.OutputDirectory} ({result.ParameterCount:N0} parameters) in {result.WallTime.TotalMinutes:F1} min, {result.SamplesPerSecond:F1} samples/s"));
        if (result.Accuracy is { } acc)
        {
            foreach (var t in acc.Types) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Type,-20} {t.Accuracy,7:P1}  ({t.Correct}/{t.Total})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"overall",-20} {acc.Overall,7:P1}  prior-answer rate on counter-prior stars {acc.PriorAnswerRate:P1}"));
        }
        return 0;
    }

    /// <summary>The options a command line asks for (the command itself is recorded for the model card).</summary>
    public static TrainingOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainingOptions { OutputDirectory = "models/tiny-llava-shapes", Command = "lvlm-eval train-tiny " + string.Join(' ', args) };
        bool outGiven = false;
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            int Int() { var v = Next(); return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{args[i - 1]} takes an integer, got '{v}'."); }
            double Real() { var v = Next(); return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : throw new ArgumentException($"{args[i - 1]} takes a number, got '{v}'."); }
            outGiven |= args[i] == "--out";
            options = args[i] switch
            {
                "--out" => options with { OutputDirectory = Next() },
                "--seed" => options with { Seed = Int() },
                "--variant" => options with
                {
                    Variant = Next() switch
                    {
                        "standard" => TrainingVariant.Standard,
                        "blank-image" => TrainingVariant.BlankImage,
                        var v => throw new ArgumentException($"--variant is standard or blank-image, got '{v}'."),
                    },
                },
                "--steps" => options with { Steps = Int() },
                "--batch" => options with { BatchSize = Int() },
                "--lr" => options with { LearningRate = (float)Real() },
                "--warmup" => options with { WarmupSteps = Int() },
                "--blank" => options with { BlankProbability = Real() },
                "--star-yellow" => options with { StarYellowProbability = Real() },
                "--eval-images" => options with { EvaluationImages = Int() },
                "--eval-seed" => options with { EvaluationSeed = Int() },
                "--compare" => options with { ReferenceModel = Next() },
                "--image-size" => options with { Architecture = options.Architecture with { ImageSize = Int() } },
                "--patch-size" => options with { Architecture = options.Architecture with { PatchSize = Int() } },
                "--curriculum" => options with { Curriculum = CurriculumStage.ParseList(Next()) },
                "--type-weight" => options with { TypeWeights = QuestionTypeWeight.ParseList(Next()) },
                "--vision-layers" => options with { Architecture = options.Architecture with { VisionLayers = Int() } },
                "--text-layers" => options with { Architecture = options.Architecture with { TextLayers = Int() } },
                "--workers" => options with { Workers = Int() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Usage}"),
            };
        }
        if (!outGiven && options.Variant == TrainingVariant.BlankImage) options = options with { OutputDirectory = "models/tiny-llava-shapes-blind" };
        return options;
    }

    // Progress<T> posts to the thread pool; a console wants the lines in order, on the training thread.
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
