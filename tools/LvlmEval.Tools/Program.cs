using LvlmEval.Models;

namespace LvlmEval.Tools;

/// <summary>Small commands until they move into the lvlm-eval CLI: <c>models inspect DIR</c>, <c>datasets inspect …</c>, <c>train-tiny …</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args is ["datasets", "inspect", ..])
        {
            try
            {
                return DatasetsInspectCommand.Run(args[2..], Console.Out, Console.Error);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or LvlmEval.Datasets.DatasetLayoutException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        }
        if (args is ["train-tiny", ..])
        {
            try
            {
                return TrainTinyCommand.Run(args[1..], Console.Out);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        }
        if (args is ["explainers", "randomisation", ..])
        {
            try
            {
                return ExplainersRandomisationCommand.Run(args[2..], Console.Out);
            }
            catch (Exception e) when (e is ArgumentException or IOException or LvlmEval.Common.ParameterException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        }
        if (args is ["explainers", "pointing", ..])
        {
            try
            {
                return ExplainersPointingCommand.Run(args[2..], Console.Out);
            }
            catch (Exception e) when (e is ArgumentException or IOException or LvlmEval.Common.ParameterException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        }
        if (args is ["models", "inspect", var dir])
        {
            try
            {
                Console.Write(ModelInspector.Describe(dir));
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or ArgumentException
                                          or UnauthorizedAccessException || e.GetType().Namespace?.StartsWith("LvlmEval", StringComparison.Ordinal) == true)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        }
        Console.Error.WriteLine($"usage: lvlm-eval-tools models inspect DIR\n       lvlm-eval-tools {DatasetsInspectCommand.Usage}\n       lvlm-eval-tools {TrainTinyCommand.Usage}\n       lvlm-eval-tools {ExplainersPointingCommand.Usage}\n       lvlm-eval-tools {ExplainersRandomisationCommand.Usage}");
        return 2;
    }
}
