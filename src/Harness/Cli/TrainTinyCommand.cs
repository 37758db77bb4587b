using System.CommandLine;

namespace LvlmEval.Harness.Cli;

/// <summary><c>train-tiny [options]</c>: trains the tiny Shapes LLaVA (the options of LvlmEval.Tools' train-tiny, passed through).</summary>
public static class TrainTinyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var options = new Argument<string[]>("options") { Description = "Training options (see below).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("train-tiny", $"""
            Train the tiny LLaVA on Shapes with the project's own autograd and AdamW (about 30 minutes on 2 cores) and save it in Hugging Face layout.

            Usage: lvlm-eval {Tools.TrainTinyCommand.Usage}

            Examples:
              lvlm-eval train-tiny --out models/tiny-llava-shapes
              lvlm-eval train-tiny --variant blank-image --out models/tiny-llava-shapes-blank
            """) { options };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            // Every token after the verb, in order (options unknown to this parser included).
            var args = parse.Tokens.SkipWhile(t => t.Value != "train-tiny").Skip(1).Select(t => t.Value).ToArray();
            return Tools.TrainTinyCommand.Run(args, Console.Out);
        }));
        return command;
    }
}
