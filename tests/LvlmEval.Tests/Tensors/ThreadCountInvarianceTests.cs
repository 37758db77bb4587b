using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors;

/// <summary>
/// Kernel results do not depend on the compute thread count: element-wise kernels that switch from a vector path to a
/// scalar tail must see the same split whether one thread or several cover the array (chunks start on whole vectors).
/// </summary>
public sealed class ThreadCountInvarianceTests
{
    private static readonly Func<Tensor, Tensor>[] Kernels = [Ops.Exp, Ops.Sigmoid, Ops.Silu, Ops.Gelu, Ops.GeluTanh, Ops.QuickGelu, Ops.Tanh];

    [TestCase(100_003)]
    [TestCase(65_541)]
    public void ElementWiseKernelsGiveTheSameBitsOnOneThreadAndOnSeveral(int length)
    {
        var x = Ops.Mul(Tensor.Randn(new Random(length), length), 4f);
        int threads = ComputeThreads.Count;
        try
        {
            foreach (var kernel in Kernels)
            {
                ComputeThreads.Set(1);
                var single = kernel(x).ToArray();
                foreach (int n in new[] { 2, 3, 4 })
                {
                    ComputeThreads.Set(n);
                    Assert.That(kernel(x).ToArray(), Is.EqualTo(single), $"{kernel.Method.Name} on {n} threads, {length} elements");
                }
            }
        }
        finally
        {
            ComputeThreads.Set(threads);
        }
    }
}
