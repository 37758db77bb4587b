namespace LvlmEval.Reports.Charts;

/// <summary>Series colours: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), then Tableau hues.</summary>
public static class Palette
{
    private static readonly string[] Hex =
    [
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
        "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#9C755F",
    ];

    /// <summary>The colour of series <paramref name="index"/> as #RRGGBB (cycles after 16).</summary>
    public static string HexColor(int index) => Hex[index % Hex.Length];

    /// <summary>The colour of series <paramref name="index"/> for ScottPlot.</summary>
    internal static ScottPlot.Color Color(int index) => ScottPlot.Color.FromHex(HexColor(index));
}
