using LvlmEval.Explainers.Causal;
using MathNet.Numerics.LinearAlgebra;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>
/// The partial-correlation test on data sampled from a linear-Gaussian SCM with a known graph:
/// 0 → 2 ← 1, 2 → 3, 0 → 4. Truths: the partial correlation equals the correlation of least-squares residuals
/// (computed independently with MathNet's QR), and the test's decisions follow d-separation in the graph.
/// </summary>
public sealed class PartialCorrelationTests
{
    private const int Records = 4000;

    private static double[,] Sample(int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var data = new double[Records, 5];
        for (int r = 0; r < Records; r++)
        {
            double x0 = Normal(), x1 = Normal();
            double x2 = 0.8 * x0 - 0.7 * x1 + Normal();
            double x3 = 0.9 * x2 + Normal();
            double x4 = 0.75 * x0 + Normal();
            data[r, 0] = x0; data[r, 1] = x1; data[r, 2] = x2; data[r, 3] = x3; data[r, 4] = x4;
        }
        return data;
    }

    private static double[,] Correlation(double[,] data)
    {
        var m = Matrix<double>.Build.DenseOfArray(data);
        int k = m.ColumnCount;
        var cov = new double[k, k];
        var means = Enumerable.Range(0, k).Select(c => m.Column(c).Average()).ToArray();
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                cov[i, j] = (m.Column(i) - means[i]).DotProduct(m.Column(j) - means[j]) / (Records - 1);
        return PartialCorrelationTest.CovarianceToCorrelation(cov);
    }

    private static double ResidualCorrelation(double[,] data, int x, int y, int[] given)
    {
        var m = Matrix<double>.Build.DenseOfArray(data);
        var design = Matrix<double>.Build.Dense(Records, given.Length + 1, (r, c) => c == 0 ? 1 : data[r, given[c - 1]]);
        Vector<double> Residual(int v) => m.Column(v) - design * design.QR().Solve(m.Column(v));
        var rx = Residual(x);
        var ry = Residual(y);
        return rx.DotProduct(ry) / Math.Sqrt(rx.DotProduct(rx) * ry.DotProduct(ry));
    }

    [TestCase(0, 1, new int[0])]
    [TestCase(0, 1, new[] { 2 })]
    [TestCase(3, 4, new[] { 0 })]
    [TestCase(1, 3, new[] { 2, 4 })]
    [TestCase(0, 3, new[] { 1, 2, 4 })]
    public void PartialCorrelationEqualsResidualCorrelation(int x, int y, int[] given)
    {
        var data = Sample(seed: 11);
        double ours = PartialCorrelationTest.PartialCorrelation(Correlation(data), x, y, given);
        Assert.That(ours, Is.EqualTo(ResidualCorrelation(data, x, y, given)).Within(1e-9));
    }

    // d-separation in 0 → 2 ← 1, 2 → 3, 0 → 4, read off the graph by hand.
    [TestCase(0, 1, new int[0], true)]
    [TestCase(0, 1, new[] { 2 }, false)]      // conditioning on the collider opens the path
    [TestCase(0, 1, new[] { 3 }, false)]      // … and on its descendant
    [TestCase(0, 3, new[] { 2 }, true)]
    [TestCase(0, 3, new int[0], false)]
    [TestCase(1, 4, new int[0], true)]
    [TestCase(1, 4, new[] { 2 }, false)]      // 1 → 2 ← 0 → 4 opened at 2
    [TestCase(1, 4, new[] { 2, 0 }, true)]
    [TestCase(3, 4, new[] { 0 }, true)]
    [TestCase(3, 4, new[] { 2 }, true)]
    [TestCase(3, 4, new int[0], false)]
    [TestCase(2, 4, new[] { 0 }, true)]
    public void DecisionsFollowDSeparation(int x, int y, int[] given, bool separated)
    {
        // The effects are strong (|ρ| ≥ 0.2) and 4000 records give a z of ≥ 12 for them, so at α = 0.01 the test
        // should err only for the ~1 % of seeds where an independent pair is rejected by chance; each of 5 seeds must agree.
        int agree = 0;
        for (int seed = 1; seed <= 5; seed++)
        {
            var test = new PartialCorrelationTest(Correlation(Sample(seed)), Records, 0.01);
            if (test.Independent(x, y, given) == separated) agree++;
        }
        Assert.That(agree, Is.GreaterThanOrEqualTo(4), $"{x} ⫫ {y} | {{{string.Join(",", given)}}} should be {separated}");
    }
}
