using System.Reflection;
using System.Text.RegularExpressions;
using LvlmEval.Common.Registries;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Task;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Repository;

/// <summary>
/// A component is used only through its registry, so one that its registry does not hold is dead code that looks alive.
/// Instead of a hand-kept list of names, these tests read the compiled src/ assemblies: every concrete explainer, metric,
/// dataset loader and task scorer declares a public static <see cref="Registration{T}"/>, and the registry the rest of
/// the code reads holds exactly that registration under its name.
/// </summary>
public sealed partial class ComponentRegistrationTests
{
    /// <summary>The assemblies built from src/ (each project's AssemblyName, so a new project is covered without editing this).</summary>
    internal static IReadOnlyList<Assembly> SourceAssemblies { get; } = Directory
        .EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
        .Select(project => AssemblyNameOf().Match(File.ReadAllText(project)) is { Success: true } m ? m.Groups[1].Value : Path.GetFileNameWithoutExtension(project))
        .Order(StringComparer.Ordinal)
        .Select(name => Assembly.Load(name))
        .ToArray();

    /// <summary>Every registration of <typeparamref name="T"/> declared anywhere in src/.</summary>
    internal static Registry<T> Shipped<T>(string kind) where T : class => Registry<T>.Discover(kind, [.. SourceAssemblies]);

    private static IEnumerable<TestCaseData> Kinds()
    {
        yield return new TestCaseData(typeof(IExplainer), ExplainerRegistry.All).SetArgDisplayNames("explainers");
        yield return new TestCaseData(typeof(IMetric), MetricRegistry.All).SetArgDisplayNames("metrics");
        yield return new TestCaseData(typeof(IDatasetLoader), DatasetRegistry.All).SetArgDisplayNames("dataset loaders");
        yield return new TestCaseData(typeof(ITaskScorer), TaskScorer.All).SetArgDisplayNames("task scorers");
    }

    [Test]
    public void SourceAssembliesIncludeEveryComponentProject()
    {
        // The scan must see the projects that hold components, or the checks below would pass on nothing.
        var names = SourceAssemblies.Select(a => a.GetName().Name).ToArray();
        Assert.That(names, Is.SupersetOf(new[] { "LvlmEval.Explainers", "LvlmEval.Metrics", "LvlmEval.Datasets", "lvlm-eval" }));
    }

    [TestCaseSource(nameof(Kinds))]
    public void EveryConcreteComponentDeclaresAPublicRegistration(Type contract, object registry)
    {
        var registration = typeof(Registration<>).MakeGenericType(contract);
        var components = SourceAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && contract.IsAssignableFrom(t) && !IsCompilerGenerated(t))
            .ToArray();
        Assert.That(components, Is.Not.Empty, $"no {contract.Name} found in src/");
        var missing = components.Where(t => !t.IsPublic || !DeclaresRegistration(t, registration)).Select(t => t.FullName).ToArray();
        Assert.That(missing, Is.Empty,
            $"each of these {contract.Name}s needs `public static {registration.Name[..^2]}<{contract.Name}> Registration {{ get; }}` in a public class, or nothing can create it");
    }

    [TestCaseSource(nameof(Kinds))]
    public void TheRegistryHoldsEveryRegistrationDeclaredInSource(Type contract, object registry)
    {
        var check = typeof(ComponentRegistrationTests).GetMethod(nameof(HoldsEveryShipped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(contract);
        check.Invoke(null, [registry]);
    }

    [Test]
    public void EveryVariantNarrowsAShippedComponentThatAllRuns()
    {
        // 'all' leaves a variant out in favour of the component it names, so that one must exist, not be left out too, and
        // write every row template the variant writes (else a mislabelled metric's rows would silently drop out of 'all').
        Check(Shipped<IExplainer>("explainer"));
        Check(Shipped<IMetric>("metric"));
        Check(Shipped<IDatasetLoader>("dataset format"));
        Check(Shipped<ITaskScorer>("task scorer"));

        static void Check<T>(Registry<T> registry) where T : class
        {
            foreach (var d in registry.Descriptors.Where(d => d.VariantOf is not null))
            {
                Assert.That(registry.Contains(d.VariantOf!), Is.True, $"{registry.Kind} '{d.Name}' is a variant of '{d.VariantOf}', which is not registered");
                Assert.That(registry.Describe(d.VariantOf!).VariantOf, Is.Null, $"{registry.Kind} '{d.Name}' is a variant of '{d.VariantOf}', itself a variant");
                Assert.That(d.Rows.Select(r => r.Template), Is.SubsetOf(registry.Describe(d.VariantOf!).Rows.Select(r => r.Template)),
                    $"{registry.Kind} '{d.Name}' writes row templates its parent '{d.VariantOf}' does not, so 'all' would not write them");
            }
        }
    }

    [Test]
    public void EveryShippedDatasetFormatHasATaskScorerAndEveryScorerAFormat() =>
        // An experiment naming a format without a scorer is refused at load time; a shipped loader must never be refused.
        Assert.That(Shipped<ITaskScorer>("task scorer").Names, Is.EquivalentTo(Shipped<IDatasetLoader>("dataset format").Names));

    private static void HoldsEveryShipped<T>(Registry<T> registry) where T : class
    {
        var shipped = Shipped<T>(registry.Kind);
        Assert.That(shipped.Names, Is.Not.Empty);
        foreach (var descriptor in shipped.Descriptors)
        {
            Assert.That(registry.Contains(descriptor.Name), Is.True, $"{registry.Kind} '{descriptor.Name}' is declared in src/ but its registry does not scan that assembly");
            Assert.That(registry.Describe(descriptor.Name), Is.SameAs(descriptor), $"{registry.Kind} '{descriptor.Name}' resolves to another registration");
        }
    }

    private static bool DeclaresRegistration(Type type, Type registration)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetProperties(flags).Any(p => p.PropertyType == registration) || type.GetFields(flags).Any(f => f.FieldType == registration);
    }

    private static bool IsCompilerGenerated(Type type) => type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false);

    [GeneratedRegex(@"<AssemblyName>\s*([^<\s]+)\s*</AssemblyName>")]
    private static partial Regex AssemblyNameOf();
}
