using System.Numerics.Tensors;

namespace LvlmEval.Tensors.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", 2019) exactly as
/// <c>torch.optim.AdamW</c> computes it (amsgrad off), per parameter with a gradient:
/// <code>
/// t += 1
/// p ← p · (1 − lr·λ)                                  (decoupled weight decay, before the moments)
/// m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
/// p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
/// </code>
/// Scalars are formed in double and rounded to float once, as PyTorch passes Python floats to float kernels.
/// Parameters whose <see cref="Tensor.Grad"/> is null are skipped and keep their own step count, as in PyTorch.
/// State and scratch are allocated once; <see cref="Step"/> allocates nothing.
/// </summary>
public sealed class AdamW
{
    private readonly Tensor[] _parameters;
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;
    private readonly int[] _steps;
    private readonly float[] _scratchA;
    private readonly float[] _scratchB;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public AdamW(IReadOnlyList<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 1e-2f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "Learning rate must be non-negative.");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative.");

        _parameters = parameters.ToArray();
        _firstMoments = new float[_parameters.Length][];
        _secondMoments = new float[_parameters.Length][];
        _steps = new int[_parameters.Length];
        int largest = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            _firstMoments[i] = new float[p.Length];
            _secondMoments[i] = new float[p.Length];
            largest = Math.Max(largest, p.Length);
        }
        _scratchA = new float[largest];
        _scratchB = new float[largest];
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    /// <summary>The learning rate used by the next <see cref="Step"/>; set it from a schedule between steps.</summary>
    public float LearningRate { get; set; }

    /// <summary>Decay rate of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the bias-corrected root second moment.</summary>
    public float Eps { get; }

    /// <summary>Decoupled weight decay coefficient λ.</summary>
    public float WeightDecay { get; }

    /// <summary>The optimized parameters.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Number of updates applied to parameter <paramref name="index"/> (steps where it had a gradient).</summary>
    public int StepCount(int index) => _steps[index];

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        double lr = LearningRate;
        float decay = (float)(1.0 - lr * WeightDecay);
        float gradientWeight = (float)(1.0 - Beta1);
        float squareWeight = (float)(1.0 - Beta2);

        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var gradient = parameter.Grad;
            if (gradient is null) continue;
            if (gradient.Length != parameter.Length)
                throw new InvalidOperationException(
                    $"AdamW: parameter {i} has shape {ShapeUtil.Format(parameter.Shape)} but its gradient has shape {ShapeUtil.Format(gradient.Shape)}.");

            int t = ++_steps[i];
            double biasCorrection1 = 1.0 - Math.Pow(Beta1, t);
            double biasCorrection2 = 1.0 - Math.Pow(Beta2, t);
            float negativeStepSize = (float)(-(lr / biasCorrection1));
            float rootBiasCorrection2 = (float)Math.Sqrt(biasCorrection2);

            Span<float> p = parameter.Data;
            ReadOnlySpan<float> g = gradient.Data;
            Span<float> m = _firstMoments[i];
            Span<float> v = _secondMoments[i];
            Span<float> a = _scratchA.AsSpan(0, p.Length);
            Span<float> b = _scratchB.AsSpan(0, p.Length);

            if (WeightDecay != 0) TensorPrimitives.Multiply(p, decay, p);

            // m = β1·m + (1−β1)·g: PyTorch's add(alpha) kernel is a fused multiply-add.
            TensorPrimitives.Multiply(m, Beta1, m);
            TensorPrimitives.FusedMultiplyAdd(g, gradientWeight, m, m);

            // v = β2·v + ((1−β2)·g)·g, in addcmul's order.
            TensorPrimitives.Multiply(v, Beta2, v);
            TensorPrimitives.Multiply(g, squareWeight, a);
            TensorPrimitives.Multiply(a, g, a);
            TensorPrimitives.Add(v, a, v);

            // denominator = √v / √(1−β2^t) + ε
            TensorPrimitives.Sqrt(v, a);
            TensorPrimitives.Divide(a, rootBiasCorrection2, a);
            TensorPrimitives.Add(a, Eps, a);

            // p += ((−lr/(1−β1^t))·m) / denominator, in addcdiv's order.
            TensorPrimitives.Multiply(m, negativeStepSize, b);
            TensorPrimitives.Divide(b, a, b);
            TensorPrimitives.Add(p, b, p);
        }
    }

    /// <summary>
    /// Clears gradients: by default sets them to null (PyTorch 2's default), otherwise fills existing ones with zeros
    /// (which still lets <see cref="Step"/> decay the weights and move them by the momentum).
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in _parameters)
        {
            if (setToNone) p.Grad = null;
            else p.Grad?.Data.Clear();
        }
    }
}
