using LvlmEval.Explorer.Runs;
using LvlmEval.Explorer.Serving;

namespace LvlmEval.Explorer;

/// <summary>What <c>lvlm-eval serve</c> serves and where.</summary>
public sealed record ExplorerOptions
{
    /// <summary>Model folders (Hugging Face LLaVA layout); each is served under its folder name.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Run folders whose samples the Runs tab lists; only files inside them are served.</summary>
    public IReadOnlyList<string> Runs { get; init; } = [];

    /// <summary>How runs are read (the command line's run reader); null serves no runs.</summary>
    public IRunCatalog? RunCatalog { get; init; }

    /// <summary>Address to bind (loopback unless asked otherwise).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free one.</summary>
    public int Port { get; init; } = 7860;

    /// <summary>Request limits.</summary>
    public RequestLimits Limits { get; init; } = RequestLimits.Default;

    /// <summary>Answer sessions kept for inspection (each holds every layer's attention maps).</summary>
    public int Sessions { get; init; } = 8;
}
