namespace LvlmEval.Tests.Infrastructure;

/// <summary>Comparisons of float arrays against reference values, by max-norm relative error.</summary>
public static class TensorAssert
{
    /// <summary>‖actual − expected‖∞ / max(‖expected‖∞, floor).</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double floor = 1e-6)
    {
        if (actual.Length != expected.Length)
            throw new AssertionException($"Length {actual.Length} differs from the reference's {expected.Length}.");
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(diff)) diff = actual[i].Equals((float)expected[i]) ? 0 : double.PositiveInfinity;
            maxDiff = Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        return maxDiff / Math.Max(maxRef, floor);
    }

    /// <summary>Asserts the max-norm relative error is below <paramref name="tolerance"/>, naming what is compared.</summary>
    public static void Close(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double tolerance, string what)
    {
        double err = RelativeError(actual, expected);
        Assert.That(err, Is.LessThan(tolerance), $"{what}: relative error {err:E3} ≥ {tolerance:E1}");
    }
}
