using System.Reflection;
using System.Runtime.Loader;

namespace LvlmEval.Harness.Plugins;

/// <summary>Loads plugin assemblies (once each) and runs their <see cref="IPlugin.Register"/>.</summary>
public static class PluginLoader
{
    private static readonly HashSet<string> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>Loads <paramref name="path"/>; dependencies are looked up next to it. Loading the same file again does nothing.</summary>
    public static void Load(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (!Loaded.Add(full)) return;
            var folder = Path.GetDirectoryName(full)!;
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                var candidate = Path.Combine(folder, name.Name + ".dll");
                return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
            };
            // An assembly already loaded under the same name (e.g. the host's own test assembly) is reused, not loaded twice.
            var assemblyName = AssemblyName.GetAssemblyName(full);
            var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), assemblyName))
                ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
            var plugins = assembly.GetExportedTypes()
                .Where(t => typeof(IPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
                .ToList();
            if (plugins.Count == 0) throw new InvalidOperationException($"{full} has no public IPlugin type with a parameterless constructor.");
            foreach (var type in plugins) ((IPlugin)Activator.CreateInstance(type)!).Register();
        }
    }
}
