using System.Runtime.Intrinsics;

namespace LvlmEval.Tensors.Kernels;

/// <summary>
/// Vectorised eˣ for float32 (Cephes expf: range reduction by ln 2 in two parts, degree-6 polynomial, exponent
/// bits set directly), relative error below 2e-7. TensorPrimitives.Exp runs several times slower on this target, and
/// exp dominates softmax, SiLU and sigmoid. Inputs below −87.3 (including −∞ from attention masks) give exactly 0.
/// </summary>
internal static class FastExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float MaxInput = 88.3762626647949f;
    private const float MinInput = -87.3365447504f;

    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.");
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                Exp(Vector256.Create(x.Slice(i, Vector256<float>.Count))).CopyTo(y.Slice(i, Vector256<float>.Count));
        for (; i < x.Length; i++) y[i] = Scalar(x[i]);
    }

    /// <summary>y = 1 / (1 + e^(−x·scale)), the logistic function of scale·x.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y, float scale = 1f)
    {
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.");
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1f);
            var minusScale = Vector256.Create(-scale);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var e = Exp(Vector256.Create(x.Slice(i, Vector256<float>.Count)) * minusScale);
                (one / (one + e)).CopyTo(y.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < x.Length; i++) y[i] = 1f / (1f + Scalar(-scale * x[i]));
    }

    public static Vector256<float> Exp(Vector256<float> x)
    {
        var tooSmall = Vector256.LessThan(x, Vector256.Create(MinInput));
        x = Vector256.Min(x, Vector256.Create(MaxInput));
        x = Vector256.Max(x, Vector256.Create(MinInput));
        var fx = Vector256.Floor(x * Vector256.Create(Log2E) + Vector256.Create(0.5f));
        x = x - fx * Vector256.Create(Ln2High) - fx * Vector256.Create(Ln2Low);
        var x2 = x * x;
        var p = Vector256.Create(1.9875691500E-4f);
        p = p * x + Vector256.Create(1.3981999507E-3f);
        p = p * x + Vector256.Create(8.3334519073E-3f);
        p = p * x + Vector256.Create(4.1665795894E-2f);
        p = p * x + Vector256.Create(1.6666665459E-1f);
        p = p * x + Vector256.Create(5.0000001201E-1f);
        p = p * x2 + x + Vector256.Create(1f);
        // 2^fx through the exponent field.
        var pow2 = Vector256.ShiftLeft(Vector256.ConvertToInt32(fx) + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(tooSmall, Vector256<float>.Zero, p * pow2);
    }

    public static float Scalar(float x) => x < MinInput ? 0f : MathF.Exp(Math.Min(x, MaxInput));
}
