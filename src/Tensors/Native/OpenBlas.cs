using System.Runtime.InteropServices;

namespace LvlmEval.Tensors.Native;

/// <summary>P/Invoke surface of OpenBLAS (Debian <c>libopenblas0-pthread</c>): single-precision GEMM and thread control.</summary>
internal static unsafe partial class OpenBlas
{
    public const string Soname = "libopenblas.so.0";
    public const string DebianPackage = "libopenblas0-pthread";

    public const int RowMajor = 101;
    public const int NoTrans = 111;
    public const int Trans = 112;

    static OpenBlas() => NativeLibraries.Register(typeof(OpenBlas).Assembly, Soname, DebianPackage);

    [LibraryImport(Soname, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Soname, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetNumThreads(int threads);

    [LibraryImport(Soname, EntryPoint = "openblas_get_num_threads")]
    public static partial int GetNumThreads();
}
