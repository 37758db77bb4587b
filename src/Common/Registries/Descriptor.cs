namespace LvlmEval.Common.Registries;

/// <summary>
/// What a registered component (explainer, metric, dataset loader, task scorer) says about itself, once, in its own
/// class: its name in experiment files, a one-line summary, the paper it implements, its cost, its scope and — for
/// metrics — the rows it writes. Report, compare, docs tables and experiment validation read these; nothing guesses
/// from names.
/// </summary>
public sealed record Descriptor(string Name, string Summary, string Paper, string Cost, Granularity Scope, IReadOnlyList<RowDescriptor> Rows)
{
    /// <summary>A descriptor without rows (explainers, loaders, scorers).</summary>
    public Descriptor(string name, string summary, string paper, string cost, Granularity scope) : this(name, summary, paper, cost, scope, []) { }

    /// <summary>
    /// The name of the registration this one is a narrower variant of (e.g. <c>deletion</c> computes one of the two
    /// curves <c>deletion-insertion</c> computes, writing the same rows), or null. <c>all</c> in an experiment file
    /// leaves variants out so no row is written twice; a variant stays selectable by its own name.
    /// </summary>
    public string? VariantOf { get; init; }

    /// <summary>The row template <paramref name="row"/> belongs to, or null.</summary>
    public RowDescriptor? Row(string row) => Rows.FirstOrDefault(r => r.Matches(row));
}

/// <summary>A descriptor with the factory that builds the component from its parameters: one entry of a <see cref="Registry{T}"/>.</summary>
public sealed record Registration<T>(Descriptor Descriptor, Func<ParameterSet, T> Create) where T : class;
