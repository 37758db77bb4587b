using LvlmEval.Harness;
using LvlmEval.Tests.Harness;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>A run folder written by <c>lvlm-eval run</c>: two tiny random models, built-in explainers and metrics, a few Shapes samples.</summary>
internal static class HarnessRun
{
    public const string DefaultMethods = """
            explainers:
              - attention
              - gradcam
              - random
            metrics:
              - name: deletion-insertion
                parameters:
                  steps: 4
              - pointing-game
            """;

    /// <summary>Runs the experiment; <paramref name="methods"/> is its <c>explainers:</c> and <c>metrics:</c> YAML.</summary>
    public static string Write(TempDir dir, int limit = 4, string methods = DefaultMethods)
    {
        string modelA = dir.File("tiny-a"), modelB = dir.File("tiny-b");
        HarnessModel.Write(modelA, seed: 1);
        HarnessModel.Write(modelB, seed: 2);
        string yaml = dir.File("experiment.yaml");
        File.WriteAllText(yaml, $"""
            name: report-test
            seed: 3
            chunk_samples: 2
            generation:
              max_new_tokens: 2
            models:
              - name: tiny-a
                path: '{modelA}'
              - name: tiny-b
                path: '{modelB}'
            datasets:
              - name: shapes
                format: shapes
                split: test
                limit: {limit}
                settings:
                  images: 8

            """ + methods);
        string runDir = dir.File("run");
        var stdout = Console.Out;
        var stderr = Console.Error;
        int code;
        var output = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(output);
            code = Program.Main(["run", yaml, "--out", runDir]);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        Assert.That(code, Is.EqualTo(0), output.ToString());
        return runDir;
    }
}
