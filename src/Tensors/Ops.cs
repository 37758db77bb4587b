namespace LvlmEval.Tensors;

/// <summary>
/// Differentiable tensor operations. Each op computes its forward with SIMD or BLAS kernels and, when
/// <see cref="Autograd"/> records, attaches its backward. Files are split by family (Ops.*.cs).
/// </summary>
public static partial class Ops
{
}
