using LvlmEval.Harness;
using LvlmEval.Results;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>Shared fixtures of the harness tests: two tiny model folders, experiment files, and the CLI run in-process or as a process.</summary>
[SetUpFixture]
public sealed class HarnessFixture
{
    private static TempDir? _dir;

    /// <summary>Folder holding the two tiny models.</summary>
    public static string Root => (_dir ?? throw new InvalidOperationException("fixture not set up")).Path;

    /// <summary>Tiny model A (seed 1) and B (seed 2).</summary>
    public static string ModelA => Path.Combine(Root, "tiny-a");
    public static string ModelB => Path.Combine(Root, "tiny-b");

    /// <summary>The test assembly, loaded by experiments as a plugin (registers the test methods).</summary>
    public static string PluginPath => typeof(HarnessTestPlugin).Assembly.Location;

    [OneTimeSetUp]
    public void WriteModels()
    {
        _dir = new TempDir("harness-models");
        HarnessModel.Write(ModelA, seed: 1);
        HarnessModel.Write(ModelB, seed: 2);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _dir?.Dispose();
        // The experiments load the test plugin into the process-wide registries; later fixtures list the built-ins.
        HarnessTestPlugin.Unregister();
    }

    /// <summary>An experiment over both models, Shapes test split, both test explainers and both test metrics.</summary>
    public static string Experiment(int limit = 6, int chunk = 3, int seed = 7, string? modelB = null, string extra = "") => $"""
        name: harness-test
        seed: {seed}
        chunk_samples: {chunk}
        plugins: ['{PluginPath}']
        generation:
          max_new_tokens: 3
        models:
          - name: tiny-a
            path: '{ModelA}'
          - name: tiny-b
            path: '{modelB ?? ModelB}'
        datasets:
          - name: shapes
            format: shapes
            split: test
            limit: {limit}
            settings:
              images: 12
              questions_per_image: 2
              layout: free
        explainers:
          - name: test-gradient
            parameters:
              scale: 2
          - test-random
        metrics:
          - name: test-deletion
            parameters:
              steps: 4
          - name: test-blank
        {extra}
        """;

    /// <summary>Writes <paramref name="yaml"/> to <paramref name="dir"/>/name and returns the path.</summary>
    public static string WriteYaml(TempDir dir, string yaml, string name = "experiment.yaml")
    {
        var path = dir.File(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static readonly Lock ConsoleGate = new();

    /// <summary>Runs lvlm-eval in this process; returns exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        lock (ConsoleGate)
        {
            var (stdout, stderr) = (Console.Out, Console.Error);
            var o = new StringWriter();
            var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                return (Program.Main(args), o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
    }

    /// <summary>Runs lvlm-eval and fails the test with its output unless it exits with 0.</summary>
    public static string CliOk(params string[] args)
    {
        var (code, output, error) = Cli(args);
        Assert.That(code, Is.EqualTo(0), $"lvlm-eval {string.Join(' ', args)} failed:\n{error}\n{output}");
        return output;
    }

    /// <summary>The built lvlm-eval.dll (same configuration as the tests).</summary>
    public static string CliDll => typeof(Program).Assembly.Location;

    /// <summary>Every complete chunk's rows of a run folder.</summary>
    public static RunResults Read(string runDir) => RunResults.Read(new RunFolder(runDir));
}
