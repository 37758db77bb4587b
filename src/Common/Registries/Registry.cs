using System.Reflection;

namespace LvlmEval.Common.Registries;

/// <summary>
/// Names from experiment files → components. Every kind (explainers, metrics, dataset loaders, task scorers) uses this
/// one type: exact (ordinal) names, the same error listing the valid choices, unknown parameters rejected. Entries are
/// the public static <see cref="Registration{T}"/> fields and properties of the scanned assemblies' public types, so a
/// new component only adds its own file.
/// </summary>
public sealed class Registry<T> where T : class
{
    private readonly Dictionary<string, Registration<T>> _entries = new(StringComparer.Ordinal);

    /// <summary>An empty registry of <paramref name="kind"/> ("explainer", "metric" …, used in messages).</summary>
    public Registry(string kind) => Kind = kind;

    /// <summary>A registry holding every <see cref="Registration{T}"/> declared in <paramref name="assemblies"/>.</summary>
    public static Registry<T> Discover(string kind, params Assembly[] assemblies)
    {
        var registry = new Registry<T>(kind);
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()))
        {
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var values = type.GetFields(flags).Where(f => f.FieldType == typeof(Registration<T>)).Select(f => f.GetValue(null))
                .Concat(type.GetProperties(flags).Where(p => p.PropertyType == typeof(Registration<T>)).Select(p => p.GetValue(null)));
            foreach (var value in values.OfType<Registration<T>>())
            {
                if (registry._entries.TryGetValue(value.Descriptor.Name, out var other))
                    throw new InvalidOperationException($"Two {kind}s are named '{value.Descriptor.Name}' ({type.FullName} and another); names must be unique.");
                registry._entries[value.Descriptor.Name] = value;
            }
        }
        return registry;
    }

    /// <summary>"explainer", "metric", "dataset format", "task scorer".</summary>
    public string Kind { get; }

    /// <summary>Every registered name, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (_entries) return _entries.Keys.Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>
    /// Every registered name that is not a variant of another (<see cref="Descriptor.VariantOf"/>), sorted: what
    /// <c>all</c> in an experiment file stands for.
    /// </summary>
    public IReadOnlyList<string> NamesExceptVariants
    {
        get { lock (_entries) return _entries.Values.Where(e => e.Descriptor.VariantOf is null).Select(e => e.Descriptor.Name).Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>Every descriptor, sorted by name.</summary>
    public IReadOnlyList<Descriptor> Descriptors
    {
        get { lock (_entries) return _entries.Values.Select(e => e.Descriptor).OrderBy(d => d.Name, StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>Adds or replaces an entry (components defined outside the scanned assemblies: plugins, tests).</summary>
    public void Register(Registration<T> registration)
    {
        lock (_entries) _entries[registration.Descriptor.Name] = registration;
    }

    /// <summary>Removes an entry added with <see cref="Register"/>; returns whether it was there.</summary>
    public bool Unregister(string name)
    {
        lock (_entries) return _entries.Remove(name);
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name)
    {
        lock (_entries) return _entries.ContainsKey(name);
    }

    /// <summary>The descriptor of <paramref name="name"/>; unknown names fail listing the valid ones.</summary>
    public Descriptor Describe(string name, string? location = null) => Entry(name, location).Descriptor;

    /// <summary>
    /// Builds <paramref name="name"/> from its parameters; unknown names fail listing the valid ones, and so do unknown
    /// parameters unless <paramref name="rejectUnknown"/> is false (settings shared with another reader, e.g. a dataset's).
    /// </summary>
    public T Create(string name, ParameterSet? parameters = null, bool rejectUnknown = true)
    {
        var entry = Entry(name, parameters?.Location);
        var set = parameters ?? new ParameterSet($"{Kind} '{name}'");
        var component = entry.Create(set);
        if (rejectUnknown) set.RejectUnknown();
        return component;
    }

    /// <summary>The error for a name that is not registered: where, what, and the valid names.</summary>
    public ParameterException Unknown(string name, string? location = null)
    {
        var names = Names;
        return new($"{(location is null ? "" : location + ": ")}unknown {Kind} '{name}'; valid {Kind}s: {(names.Count == 0 ? "(none registered)" : string.Join(", ", names))}");
    }

    private Registration<T> Entry(string name, string? location)
    {
        lock (_entries)
            if (_entries.TryGetValue(name, out var entry)) return entry;
        throw Unknown(name, location);
    }
}
