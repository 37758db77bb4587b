using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace LvlmEval.Probing.Probes;

/// <summary>
/// Multinomial logistic regression with an L2 penalty on the weights (not the intercepts), in scikit-learn's
/// parameterisation: minimise Σᵢ −log softmax(W xᵢ + b)[yᵢ] + ‖W‖² / (2C), by L-BFGS (MathNet.Numerics). Features are
/// standardised with the training mean and standard deviation first, as a linear probe usually is (Alain &amp; Bengio 2016).
/// </summary>
public sealed class SoftmaxProbe
{
    private readonly float[] _weights; // [K, D]
    private readonly float[] _bias;    // [K]
    private readonly float[] _mean, _scale;

    private SoftmaxProbe(float[] weights, float[] bias, float[] mean, float[] scale, int classes)
    {
        _weights = weights; _bias = bias; _mean = mean; _scale = scale; Classes = classes;
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Fits a probe on rows <paramref name="rows"/> of <paramref name="x"/> [n, d] with labels 0..classes−1.</summary>
    public static SoftmaxProbe Fit(float[] x, int d, int[] labels, IReadOnlyList<int> rows, int classes, double c) =>
        Fit(x, d, labels, rows, classes, c, null);

    /// <summary>As above, starting L-BFGS from <paramref name="warmStart"/> (a probe of the same rows and classes), which saves iterations along a grid of C.</summary>
    public static SoftmaxProbe Fit(float[] x, int d, int[] labels, IReadOnlyList<int> rows, int classes, double c, SoftmaxProbe? warmStart)
    {
        if (c <= 0) throw new ArgumentOutOfRangeException(nameof(c), c, "The inverse regularisation strength C must be positive.");
        var (mean, scale) = Standardisation(x, d, rows);
        int n = rows.Count;
        // Double precision: L-BFGS's line search needs a loss and gradient accurate well below their change near the optimum.
        var z = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) z[i * d + j] = (x[rows[i] * d + j] - mean[j]) / scale[j];
        var y = rows.Select(r => labels[r]).ToArray();

        var objective = ObjectiveFunction.Gradient(theta => LossAndGradient(theta, z, y, n, d, classes, c));
        var minimizer = new LimitedMemoryBfgsMinimizer(gradientTolerance: 1e-3, parameterTolerance: 1e-10, functionProgressTolerance: 1e-9, memory: 10, maximumIterations: 1000);
        var start = Vector<double>.Build.Dense(classes * d + classes);
        if (warmStart is not null && warmStart.Classes == classes && warmStart._weights.Length == classes * d)
        {
            for (int i = 0; i < classes * d; i++) start[i] = warmStart._weights[i];
            for (int k = 0; k < classes; k++) start[classes * d + k] = warmStart._bias[k];
        }
        Vector<double> best;
        try
        {
            best = minimizer.FindMinimum(objective, start).MinimizingPoint;
        }
        catch (Exception e) when (e is MaximumIterationsException or OptimizationException or ArgumentException)
        {
            throw new InvalidOperationException($"The probe did not converge (C = {c}): {e.Message}", e);
        }
        var w = new float[classes * d];
        var b = new float[classes];
        for (int i = 0; i < w.Length; i++) w[i] = (float)best[i];
        for (int k = 0; k < classes; k++) b[k] = (float)best[classes * d + k];
        return new SoftmaxProbe(w, b, mean, scale, classes);
    }

    /// <summary>The predicted class of each row in <paramref name="rows"/>.</summary>
    public int[] Predict(float[] x, int d, IReadOnlyList<int> rows)
    {
        var result = new int[rows.Count];
        var z = new float[d];
        for (int i = 0; i < rows.Count; i++)
        {
            Standardise(x.AsSpan(rows[i] * d, d), _mean, _scale, z);
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int k = 0; k < Classes; k++)
            {
                float score = TensorPrimitives.Dot(_weights.AsSpan(k * d, d), z) + _bias[k];
                if (score > bestScore) { bestScore = score; best = k; }
            }
            result[i] = best;
        }
        return result;
    }

    private static (double, Vector<double>) LossAndGradient(Vector<double> theta, double[] z, int[] y, int n, int d, int classes, double c)
    {
        var w = new double[classes * d];
        for (int i = 0; i < w.Length; i++) w[i] = theta[i];
        var gradW = new double[classes * d];
        var gradB = new double[classes];
        var logits = new double[classes];
        var rowGrad = new double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            var row = z.AsSpan(i * d, d);
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                logits[k] = TensorPrimitives.Dot(w.AsSpan(k * d, d), row) + theta[classes * d + k];
                max = Math.Max(max, logits[k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.Exp(logits[k] - max);
            double logSum = max + Math.Log(sum);
            loss += logSum - logits[y[i]];
            for (int k = 0; k < classes; k++)
            {
                double g = Math.Exp(logits[k] - logSum) - (k == y[i] ? 1 : 0);
                rowGrad[k] = g;
                gradB[k] += g;
            }
            for (int k = 0; k < classes; k++)
            {
                double g = rowGrad[k];
                var target = gradW.AsSpan(k * d, d);
                TensorPrimitives.MultiplyAdd(row, g, target, target);
            }
        }
        var gradient = Vector<double>.Build.Dense(classes * d + classes);
        double penalty = 0;
        for (int i = 0; i < classes * d; i++)
        {
            penalty += theta[i] * theta[i];
            gradient[i] = gradW[i] + theta[i] / c;
        }
        for (int k = 0; k < classes; k++) gradient[classes * d + k] = gradB[k];
        return (loss + penalty / (2 * c), gradient);
    }

    private static (float[] Mean, float[] Scale) Standardisation(float[] x, int d, IReadOnlyList<int> rows)
    {
        var mean = new double[d];
        var sq = new double[d];
        foreach (int r in rows)
            for (int j = 0; j < d; j++)
            {
                double v = x[r * d + j];
                mean[j] += v;
                sq[j] += v * v;
            }
        var m = new float[d];
        var s = new float[d];
        for (int j = 0; j < d; j++)
        {
            double mu = mean[j] / rows.Count;
            double variance = Math.Max(0, sq[j] / rows.Count - mu * mu);
            m[j] = (float)mu;
            // A constant feature carries nothing; scale 1 keeps it at zero instead of dividing by zero (as scikit-learn's StandardScaler).
            s[j] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (m, s);
    }

    private static void Standardise(ReadOnlySpan<float> row, float[] mean, float[] scale, Span<float> into)
    {
        for (int j = 0; j < row.Length; j++) into[j] = (row[j] - mean[j]) / scale[j];
    }
}
