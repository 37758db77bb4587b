using System.Reflection;
using LvlmEval.Models.Llava;

namespace LvlmEval.Tests.Repository;

/// <summary>
/// The sample loop exists once: in the compiled CLI, explorer, tools and libraries, a greedy answer to a sample is
/// generated only by <c>Metrics/Pipeline/SamplePipeline</c>. The few other callers of <see cref="LlavaModel.Generate"/>
/// generate something else and are listed with the reason. The truth is the compiled code itself: every method body's
/// IL is read and each call target resolved, so lambdas, local functions and iterators count too.
/// </summary>
public sealed class SampleLoopOnceTests
{
    // Type (outermost declaring type) → why it generates outside the pipeline.
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["LvlmEval.Metrics.Pipeline.SamplePipeline"] = "the sample loop",
        ["LvlmEval.Metrics.Reliance.BehaviouralRelianceMetric"] = "regenerates under each perturbed condition to see whether the answer changes",
        ["LvlmEval.Harness.Cli.ExplainCommand"] = "explain --edit also shows the answer under the edit next to the explained one",
        ["LvlmEval.Training.ShapesEvaluator"] = "training's held-out accuracy (Training sits below Metrics)",
    };

    [Test]
    public void OnlyTheSamplePipelineGeneratesASamplesAnswer()
    {
        var generate = typeof(LlavaModel).GetMethod(nameof(LlavaModel.Generate))!;
        var assemblies = new[]
        {
            typeof(LvlmEval.Harness.Program), typeof(LvlmEval.Tools.Program), typeof(LvlmEval.Explorer.ExplorerServer),
            typeof(LvlmEval.Metrics.IMetric), typeof(LvlmEval.Explainers.IExplainer), typeof(LvlmEval.Results.RunResults),
            typeof(LvlmEval.Reports.ReportWriter), typeof(LvlmEval.Training.ShapesEvaluator), typeof(LvlmEval.Probing.Probes.ControlTask),
        }.Select(t => t.Assembly).Distinct().ToList();
        var callers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var assembly in assemblies)
            foreach (var type in assembly.GetTypes())
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                             .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
                    if (Calls(method, generate)) callers.Add(Outermost(type).FullName!);
        Assert.That(callers, Does.Contain("LvlmEval.Metrics.Pipeline.SamplePipeline"), "the IL scan finds the pipeline's own call");
        Assert.That(callers.Where(c => !Allowed.ContainsKey(c)), Is.Empty,
            "these generate an answer themselves; run the sample through Metrics/Pipeline/SamplePipeline instead");
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    // call (0x28) and callvirt (0x6F) take a 4-byte method token; any other byte sequence that happens to resolve to the
    // same method would need to spell its exact token, so scanning every offset has no practical false positives.
    private static bool Calls(MethodBase method, MethodInfo target)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException) { return false; }
        if (il is null) return false;
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (0x28 or 0x6F)) continue;
            int token = BitConverter.ToInt32(il, i + 1);
            try
            {
                if (method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null) == target)
                    return true;
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or MissingMethodException or TypeLoadException) { }
        }
        return false;
    }
}
