using LvlmEval.Tensors.Native;

namespace LvlmEval.Tensors.Kernels;

/// <summary>Row-major single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, on spans, through OpenBLAS.</summary>
internal static unsafe class Gemm
{
    /// <summary>
    /// op(A) is M×K, op(B) is K×N, C is M×N (all row-major with the given leading dimensions).
    /// A is stored M×K (K×M when transposed); B is stored K×N (N×K when transposed).
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            // BLAS leaves C untouched when K = 0 only if beta = 1; make it explicit.
            if (beta == 0) c[..((m - 1) * ldc + n)].Clear();
            return;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            OpenBlas.Sgemm(OpenBlas.RowMajor, transA ? OpenBlas.Trans : OpenBlas.NoTrans, transB ? OpenBlas.Trans : OpenBlas.NoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <summary>C = op(A)·op(B) for dense matrices whose leading dimension is their row length.</summary>
    public static void Dense(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        Span<float> c, float alpha = 1f, float beta = 0f) =>
        Run(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
}
