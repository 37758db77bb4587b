namespace LvlmEval.Tools;

/// <summary>
/// Developer commands that are not part of the lvlm-eval CLI: <c>explainers pointing …</c> (the published pointing
/// game of each explainer on Shapes). Training, inspection and everything a user runs live in lvlm-eval.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
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
        Console.Error.WriteLine($"usage: lvlm-eval-tools {ExplainersPointingCommand.Usage}\n       lvlm-eval-tools {ExplainersRandomisationCommand.Usage}\n(train-tiny, models inspect and datasets inspect are lvlm-eval verbs)");
        return 2;
    }
}
