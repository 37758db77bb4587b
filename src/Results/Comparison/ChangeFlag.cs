namespace LvlmEval.Results.Comparison;

/// <summary>How one compared quantity (model, dataset, explainer, metric) moved between a baseline and a candidate run.</summary>
public enum ChangeFlag
{
    /// <summary>No change beyond the tolerance with a 95 % CI excluding 0, and no sample lost.</summary>
    None,

    /// <summary>Significantly worse in the row's declared direction.</summary>
    Regression,

    /// <summary>Significantly better in the row's declared direction.</summary>
    Improvement,

    /// <summary>Significantly different, for a row with no better side (or no descriptor).</summary>
    Changed,

    /// <summary>Only in the candidate run.</summary>
    Added,

    /// <summary>Only in the baseline run.</summary>
    Removed,

    /// <summary>No significant change on the shared samples, but samples the baseline scored are missing from the candidate.</summary>
    SamplesLost,
}
