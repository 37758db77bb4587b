using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    private delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Gradient of an elementwise op: from input x, output y and upstream g, write dx.</summary>
    private delegate void SpanGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);

    private const float Sqrt2OverPi = 0.7978845608028654f;
    private const float GeluTanhCubic = 0.044715f;
    private const float QuickGeluScale = 1.702f;

    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => Unary(x, "Neg", 1, TensorPrimitives.Negate, (_, _, g, dx) => TensorPrimitives.Negate(g, dx));

    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x) => Unary(x, "Exp", 8, FastExp.Exp, (_, y, g, dx) => TensorPrimitives.Multiply(g, y, dx));

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x) => Unary(x, "Log", 8, TensorPrimitives.Log, (x, _, g, dx) => TensorPrimitives.Divide(g, x, dx));

    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x) => Unary(x, "Sqrt", 4, TensorPrimitives.Sqrt, (_, y, g, dx) =>
    {
        TensorPrimitives.Divide(g, y, dx);
        TensorPrimitives.Multiply(dx, 0.5f, dx);
    });

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Unary(x, "Tanh", 8, TensorPrimitives.Tanh, (_, y, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = g[i] * (1f - y[i] * y[i]);
    });

    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor x) => Unary(x, "Sigmoid", 8, (x, y) => FastExp.Sigmoid(x, y), (_, y, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = g[i] * y[i] * (1f - y[i]);
    });

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => Unary(x, "Relu", 1, (x, y) => TensorPrimitives.Max(x, 0f, y), (x, _, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0f ? g[i] : 0f;
    });

    /// <summary>SiLU (swish): x·σ(x), as in Llama's MLP.</summary>
    public static Tensor Silu(Tensor x) => Unary(x, "Silu", 8, (x, y) =>
    {
        FastExp.Sigmoid(x, y);
        TensorPrimitives.Multiply(x, y, y);
    }, (x, _, g, dx) =>
    {
        FastExp.Sigmoid(x, dx);
        for (int i = 0; i < dx.Length; i++)
        {
            float s = dx[i];
            dx[i] = g[i] * (s + x[i] * s * (1f - s));
        }
    });

    /// <summary>Exact GELU, x·Φ(x) with the error function (PyTorch's default, CLIP "gelu").</summary>
    public static Tensor Gelu(Tensor x) => Unary(x, "Gelu", 24, (x, y) =>
    {
        for (int i = 0; i < y.Length; i++) y[i] = (float)(0.5 * x[i] * ErrorFunction.Erfc(-x[i] * 0.7071067811865476));
    }, (x, _, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++)
        {
            double v = x[i];
            double cdf = 0.5 * ErrorFunction.Erfc(-v * 0.7071067811865476);
            double pdf = Math.Exp(-0.5 * v * v) * 0.3989422804014327;
            dx[i] = (float)(g[i] * (cdf + v * pdf));
        }
    });

    /// <summary>GELU with the tanh approximation ("gelu_pytorch_tanh", SigLIP).</summary>
    public static Tensor GeluTanh(Tensor x) => Unary(x, "GeluTanh", 16, (x, y) =>
    {
        for (int i = 0; i < y.Length; i++)
        {
            float v = x[i];
            y[i] = 0.5f * v * (1f + MathF.Tanh(Sqrt2OverPi * (v + GeluTanhCubic * v * v * v)));
        }
    }, (x, _, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++)
        {
            float v = x[i];
            float t = MathF.Tanh(Sqrt2OverPi * (v + GeluTanhCubic * v * v * v));
            float du = Sqrt2OverPi * (1f + 3f * GeluTanhCubic * v * v);
            dx[i] = g[i] * (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * du);
        }
    });

    /// <summary>QuickGELU, x·σ(1.702x) (OpenAI CLIP).</summary>
    public static Tensor QuickGelu(Tensor x) => Unary(x, "QuickGelu", 8, (x, y) =>
    {
        FastExp.Sigmoid(x, y, QuickGeluScale);
        TensorPrimitives.Multiply(x, y, y);
    }, (x, _, g, dx) =>
    {
        FastExp.Sigmoid(x, dx, QuickGeluScale);
        for (int i = 0; i < dx.Length; i++)
        {
            float s = dx[i];
            dx[i] = g[i] * (s + QuickGeluScale * x[i] * s * (1f - s));
        }
    });

    /// <summary>x + c.</summary>
    public static Tensor Add(Tensor x, float c) => Unary(x, "AddScalar", 1, (x, y) => TensorPrimitives.Add(x, c, y), (_, _, g, dx) => g.CopyTo(dx));

    /// <summary>x · c.</summary>
    public static Tensor Mul(Tensor x, float c) => Unary(x, "MulScalar", 1, (x, y) => TensorPrimitives.Multiply(x, c, y), (_, _, g, dx) => TensorPrimitives.Multiply(g, c, dx));

    /// <summary>x / c.</summary>
    public static Tensor Div(Tensor x, float c) => Unary(x, "DivScalar", 1, (x, y) => TensorPrimitives.Divide(x, c, y), (_, _, g, dx) => TensorPrimitives.Divide(g, c, dx));

    /// <summary>c − x.</summary>
    public static Tensor Sub(float c, Tensor x) => Unary(x, "RSubScalar", 1, (x, y) => TensorPrimitives.Subtract(c, x, y), (_, _, g, dx) => TensorPrimitives.Negate(g, dx));

    /// <summary>c / x.</summary>
    public static Tensor Div(float c, Tensor x) => Unary(x, "RDivScalar", 1, (x, y) => TensorPrimitives.Divide(c, x, y), (x, y, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = -g[i] * y[i] / x[i];
    });

    /// <summary>xᵖ for a scalar exponent.</summary>
    public static Tensor Pow(Tensor x, float p) => Unary(x, "PowScalar", 8, (x, y) => TensorPrimitives.Pow(x, p, y), (x, _, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = g[i] * p * MathF.Pow(x[i], p - 1f);
    });

    private static Tensor Unary(Tensor x, string name, int costPerElement, SpanMap forward, SpanGrad backward)
    {
        var y = Tensor.Uninitialized(x.ShapeRef);
        var xs = x.Storage; int xo = x.Offset; var ys = y.Storage;
        Parallelism.ForRanges(x.Length, costPerElement, (s, e) => forward(xs.AsSpan(xo + s, e - s), ys.AsSpan(s, e - s)));
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, name, [x], g =>
        {
            var dx = Tensor.Uninitialized(x.ShapeRef);
            var gs = g.Storage; int go = g.Offset; var ds = dx.Storage;
            Parallelism.ForRanges(x.Length, costPerElement, (s, e) =>
                backward(xs.AsSpan(xo + s, e - s), ys.AsSpan(s, e - s), gs.AsSpan(go + s, e - s), ds.AsSpan(s, e - s)));
            return [dx];
        });
    }
}
