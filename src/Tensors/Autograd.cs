namespace LvlmEval.Tensors;

/// <summary>
/// Reverse-mode automatic differentiation. Ops record a <see cref="GradNode"/> on their output only while
/// gradient mode is on and an input requires a gradient, so inference pays nothing for it.
/// </summary>
public static class Autograd
{
    [ThreadStatic] private static int _enabledDepth;
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True while inside <see cref="Enable"/> and not inside a nested <see cref="Disable"/>.</summary>
    public static bool IsEnabled => _enabledDepth > 0 && _disabledDepth == 0;

    /// <summary>Turns gradient recording on for the current thread until disposed.</summary>
    public static IDisposable Enable()
    {
        _enabledDepth++;
        return new Scope(() => _enabledDepth--);
    }

    /// <summary>Turns gradient recording off for the current thread until disposed (nests inside Enable).</summary>
    public static IDisposable Disable()
    {
        _disabledDepth++;
        return new Scope(() => _disabledDepth--);
    }

    /// <summary>
    /// Recording on for the current thread even inside a backward (which disables it), until disposed: for ops whose
    /// backward re-runs a forward and differentiates through it (<see cref="Ops.Recompute"/>).
    /// </summary>
    internal static IDisposable Recording()
    {
        int enabled = _enabledDepth, disabled = _disabledDepth;
        _enabledDepth = 1;
        _disabledDepth = 0;
        return new Scope(() => { _enabledDepth = enabled; _disabledDepth = disabled; });
    }

    /// <summary>Whether an op with these inputs must record a node.</summary>
    internal static bool ShouldRecord(Tensor a) => IsEnabled && a.RequiresGrad;

    internal static bool ShouldRecord(Tensor a, Tensor b) => IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    internal static bool ShouldRecord(IReadOnlyList<Tensor> inputs)
    {
        if (!IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Profiling hook: when set, called after each node's backward with the op name and its stopwatch ticks.</summary>
    internal static Action<string, long>? BackwardObserver { get; set; }

    /// <summary>Attaches a backward function to <paramref name="output"/>; returns it for chaining.</summary>
    internal static Tensor Record(Tensor output, string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        output.RequiresGrad = true;
        output.Node = new GradNode(name, inputs, backward);
        return output;
    }

    /// <summary>Backpropagates from <paramref name="root"/> through the recorded graph.</summary>
    internal static void Backward(Tensor root, Tensor? gradient)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward() on a tensor that does not require a gradient: enable Autograd and mark an input RequiresGrad.");
        if (gradient is null)
        {
            if (root.Length != 1)
                throw new ArgumentException($"Backward() without a gradient needs a scalar, got shape {ShapeUtil.Format(root.ShapeRef)}.");
            gradient = Tensor.Full(1f, root.ShapeRef);
        }
        else if (!Tensor.SameShape(root, gradient))
            throw new ArgumentException($"Gradient shape {ShapeUtil.Format(gradient.ShapeRef)} does not match tensor shape {ShapeUtil.Format(root.ShapeRef)}.");

        var order = TopologicalOrder(root);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradient };
        using var _ = Disable();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue;
            if (t.Node is null || t.RetainsGrad)
                t.Grad = t.Grad is null ? g.Clone() : Ops.AddInPlace(t.Grad, g);
            if (t.Node is null) continue;
            long started = BackwardObserver is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            var inputGrads = t.Node.Backward(g);
            BackwardObserver?.Invoke(t.Node.Name, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            var inputs = t.Node.Inputs;
            for (int k = 0; k < inputs.Length; k++)
            {
                var gi = inputGrads[k];
                var input = inputs[k];
                if (gi is null || !input.RequiresGrad) continue;
                if (!Tensor.SameShape(gi, input))
                    throw new InvalidOperationException($"Internal error: {t.Node.Name} backward gave shape {ShapeUtil.Format(gi.ShapeRef)} for input {ShapeUtil.Format(input.ShapeRef)}.");
                grads[input] = grads.TryGetValue(input, out var acc) ? Accumulate(acc, gi) : gi;
            }
        }
    }

    // A gradient tensor may be a view of an op's input or output; copy before accumulating into it.
    private static Tensor Accumulate(Tensor acc, Tensor g) => Ops.AddInPlace(acc.Clone(), g);

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        // Iterative DFS: deep transformer graphs would overflow a recursive one.
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs ?? Array.Empty<Tensor>();
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        return order;
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose()
        {
            _onDispose?.Invoke();
            _onDispose = null;
        }
    }
}

/// <summary>One recorded operation: its inputs and the function mapping the output gradient to input gradients.</summary>
internal sealed class GradNode(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
{
    public string Name { get; } = name;
    public Tensor[] Inputs { get; } = inputs;
    public Func<Tensor, Tensor?[]> Backward { get; } = backward;
}
