namespace LvlmEval.Probing.Probes;

/// <summary>
/// Trains and scores one probe with nested cross-validation: outer k folds grouped by image; inside each training part
/// an inner 3-fold CV (also grouped by image) picks C from <see cref="Grid"/>; the probe refit with that C is scored on
/// the outer test fold. The control task (<see cref="ControlTask"/>) goes through the same procedure.
/// </summary>
public sealed class ProbeTrainer(int folds = 5, int innerFolds = 3, int seed = 0)
{
    /// <summary>Inverse regularisation strengths tried by the inner CV (scikit-learn's C).</summary>
    public static readonly IReadOnlyList<double> Grid = [0.01, 0.1, 1, 10];

    /// <summary>Outer folds.</summary>
    public int Folds { get; } = folds;

    /// <summary>One result per outer fold.</summary>
    public IReadOnlyList<FoldResult> Run(ProbeData data)
    {
        var classes = data.Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var y = data.Labels.Select(l => classes.IndexOf(l)).ToArray();
        var controlLabels = ControlTask.Labels(data.Labels, data.Types, seed);
        var controlClasses = controlLabels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var yControl = controlLabels.Select(l => controlClasses.IndexOf(l)).ToArray();

        var all = Enumerable.Range(0, data.Count).ToArray();
        var fold = CrossValidation.GroupFolds(data.ImageIds, all, Folds, seed);
        var results = new List<FoldResult>();
        for (int f = 0; f < Folds; f++)
        {
            var train = all.Where(i => fold[i] != f).ToArray();
            var test = all.Where(i => fold[i] == f).ToArray();
            var (accuracy, c) = FitAndScore(data, y, classes.Count, train, test);
            var (control, cControl) = FitAndScore(data, yControl, controlClasses.Count, train, test);
            results.Add(new FoldResult(f, accuracy, control, test.Length, c, cControl, Majority(y, train, test)));
        }
        return results;
    }

    private (double Accuracy, double C) FitAndScore(ProbeData data, int[] y, int classes, int[] train, int[] test)
    {
        double c = ChooseC(data, y, classes, train);
        if (classes < 2) return (1.0, c);
        var probe = SoftmaxProbe.Fit(data.X, data.Dim, y, train, classes, c);
        return (Accuracy(probe.Predict(data.X, data.Dim, test), y, test), c);
    }

    /// <summary>The C of <see cref="Grid"/> with the best mean inner-CV accuracy (ties: the stronger penalty).</summary>
    private double ChooseC(ProbeData data, int[] y, int classes, int[] train)
    {
        if (classes < 2) return Grid[0];
        var inner = CrossValidation.GroupFolds(data.ImageIds, train, innerFolds, seed + 1);
        double bestC = Grid[0], bestAccuracy = double.NegativeInfinity;
        // Each inner fold walks the grid from strong to weak penalty, starting from the previous solution.
        var previous = new SoftmaxProbe?[innerFolds];
        foreach (double c in Grid)
        {
            double sum = 0;
            for (int f = 0; f < innerFolds; f++)
            {
                var fit = train.Where((_, i) => inner[i] != f).ToArray();
                var held = train.Where((_, i) => inner[i] == f).ToArray();
                if (fit.Select(i => y[i]).Distinct().Count() < classes) { previous[f] = null; }
                var probe = SoftmaxProbe.Fit(data.X, data.Dim, y, fit, classes, c, previous[f]);
                previous[f] = probe;
                sum += Accuracy(probe.Predict(data.X, data.Dim, held), y, held);
            }
            double mean = sum / innerFolds;
            if (mean > bestAccuracy + 1e-12) { bestAccuracy = mean; bestC = c; }
        }
        return bestC;
    }

    private static double Accuracy(int[] predicted, int[] y, int[] rows)
    {
        int correct = 0;
        for (int i = 0; i < rows.Length; i++) if (predicted[i] == y[rows[i]]) correct++;
        return rows.Length == 0 ? double.NaN : (double)correct / rows.Length;
    }

    // Accuracy of always answering the training set's most frequent class: the floor any probe must clear.
    private static double Majority(int[] y, int[] train, int[] test)
    {
        int mode = train.GroupBy(i => y[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return test.Length == 0 ? double.NaN : (double)test.Count(i => y[i] == mode) / test.Length;
    }
}
