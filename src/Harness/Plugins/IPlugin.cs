namespace LvlmEval.Harness.Plugins;

/// <summary>
/// A custom explainer or metric package: an assembly listed under <c>plugins:</c> in an experiment file has each public
/// <see cref="IPlugin"/> type instantiated and <see cref="Register"/> called (it calls ExplainerRegistry/MetricRegistry.All.Register).
/// </summary>
public interface IPlugin
{
    /// <summary>Registers the plugin's explainers and metrics.</summary>
    void Register();
}
