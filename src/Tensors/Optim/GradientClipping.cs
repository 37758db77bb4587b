using System.Numerics.Tensors;

namespace LvlmEval.Tensors.Optim;

/// <summary>Gradient-norm clipping as <c>torch.nn.utils.clip_grad_norm_</c> (L2 norm over all gradients together).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Computes the L2 norm of all gradients taken as one vector (parameters without a gradient are ignored) and,
    /// when it exceeds <paramref name="maxNorm"/>, scales every gradient in place by <c>maxNorm / (norm + 1e-6)</c>.
    /// Returns the norm before clipping.
    /// </summary>
    public static float ClipGradNorm(IReadOnlyList<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be non-negative.");

        // PyTorch takes the norm of the per-tensor norms; squares of float32 norms are summed exactly enough in double.
        double sumOfSquares = 0;
        bool any = false;
        foreach (var p in parameters)
        {
            if (p.Grad is not { } g) continue;
            any = true;
            double n = TensorPrimitives.Norm<float>(g.Data);
            sumOfSquares += n * n;
        }
        if (!any) return 0f;

        float total = (float)Math.Sqrt(sumOfSquares);
        // PyTorch evaluates max_norm / (total + 1e-6) in float32 as reciprocal(total + 1e-6) * max_norm.
        float coefficient = 1f / (total + 1e-6f) * maxNorm;
        if (coefficient < 1f)
        {
            foreach (var p in parameters)
                if (p.Grad is { } g) TensorPrimitives.Multiply(g.Data, coefficient, g.Data);
        }
        return total;
    }
}
