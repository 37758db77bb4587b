namespace LvlmEval.Tensors.Kernels;

/// <summary>
/// Complementary error function with fractional error below 1.2e-7 everywhere (Chebyshev fit, Numerical Recipes §6.2),
/// evaluated in double so GELU keeps full float precision even where 1 + erf(x) cancels.
/// </summary>
public static class ErrorFunction
{
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
