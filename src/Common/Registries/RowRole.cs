namespace LvlmEval.Common.Registries;

/// <summary>What a declared row is to the tables that read it: a score to rank, or a reference shown next to scores.</summary>
public enum RowRole
{
    /// <summary>A method's score: a leaderboard column, ranked in the row's direction.</summary>
    Score,

    /// <summary>An upper bound that uses the ground truth to choose a setting per sample: shown, never ranked.</summary>
    Oracle,

    /// <summary>The chance level of another row (a uniformly random map) for the sample: summarised under that row's column.</summary>
    Chance,

    /// <summary>The best value any map can reach on another row for the sample: summarised under that row's column.</summary>
    Ceiling,
}
