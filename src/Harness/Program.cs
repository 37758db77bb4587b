using System.CommandLine;

namespace LvlmEval.Harness;

/// <summary>Entry point of the <c>lvlm-eval</c> command line.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("lvlm-eval: evaluate explanation methods for LLaVA-family vision-language models.");
        return root.Parse(args).Invoke();
    }
}
