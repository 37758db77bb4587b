using LvlmEval.Models.Llava;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Optim;

namespace LvlmEval.Training;

/// <summary>
/// Data-parallel training on one machine: one copy of the model per worker thread. Each worker runs the forwards and
/// backwards of its share of a batch on its own copy (single-threaded kernels, so the workers do not contend); the
/// copies' gradients are then summed into the primary copy in worker order, the optimizer steps the primary, and its
/// weights are copied back out. A tiny model's matrices are too small for threaded kernels to pay off, whole
/// forwards are not. With one worker this is exactly <see cref="TinyLlavaTrainer.TrainStep"/>.
/// </summary>
public sealed class ModelReplicas
{
    private readonly LlavaModel[] _models;
    private readonly Tensor[][] _parameters;

    private ModelReplicas(LlavaModel[] models)
    {
        _models = models;
        _parameters = models.Select(m => m.Parameters.Select(p => p.Tensor).ToArray()).ToArray();
        foreach (var set in _parameters) foreach (var p in set) p.RequiresGrad = true;
    }

    /// <summary>Loads <paramref name="workers"/> copies of the model in <paramref name="folder"/>.</summary>
    public static ModelReplicas Load(string folder, int workers)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "At least one worker is needed.");
        return new ModelReplicas(Enumerable.Range(0, workers).Select(_ => LlavaModel.Load(folder, WeightStorage.Float32)).ToArray());
    }

    /// <summary>The copy the optimizer updates (and the one to save).</summary>
    public LlavaModel Primary => _models[0];

    /// <summary>The primary copy's trainable tensors.</summary>
    public Tensor[] Parameters => _parameters[0];

    /// <summary>Worker threads.</summary>
    public int Workers => _models.Length;

    /// <summary>One optimizer step on the mean loss over <paramref name="batch"/>; returns that loss.</summary>
    public float TrainStep(IReadOnlyList<TrainingExample> batch, AdamW[] optimizers, float maxGradientNorm)
    {
        if (Workers == 1) return TinyLlavaTrainer.TrainStep(Primary, batch, Parameters, optimizers, maxGradientNorm);
        var shares = Split(batch, Workers);
        var losses = new double[Workers];
        Parallel.For(0, Workers, new ParallelOptions { MaxDegreeOfParallelism = Workers },
            w => losses[w] = TinyLlavaTrainer.AccumulateGradients(_models[w], shares[w], batch.Count));
        for (int w = 1; w < Workers; w++) AddGradients(_parameters[0], _parameters[w]);
        TinyLlavaTrainer.ApplyGradients(Parameters, optimizers, maxGradientNorm);
        for (int w = 1; w < Workers; w++)
            for (int i = 0; i < Parameters.Length; i++) Parameters[i].Data.CopyTo(_parameters[w][i].Data);
        return (float)losses.Sum();
    }

    /// <summary>
    /// Cuts the batch, ordered by sequence length, into <paramref name="workers"/> runs of about equal cost (tokens),
    /// so every worker finishes at about the same time; a run may split a length group in two.
    /// </summary>
    public static List<TrainingExample>[] Split(IReadOnlyList<TrainingExample> batch, int workers)
    {
        var ordered = batch.OrderBy(e => e.PromptIds.Length).ToList();
        long total = ordered.Sum(e => (long)e.PromptIds.Length), done = 0;
        var shares = Enumerable.Range(0, workers).Select(_ => new List<TrainingExample>()).ToArray();
        foreach (var e in ordered)
        {
            // The worker whose slice of the total cost holds this item's midpoint.
            long middle = done + e.PromptIds.Length / 2;
            shares[(int)Math.Min(workers - 1, middle * workers / Math.Max(1, total))].Add(e);
            done += e.PromptIds.Length;
        }
        return shares;
    }

    private static void AddGradients(Tensor[] into, Tensor[] from)
    {
        for (int i = 0; i < into.Length; i++)
        {
            var g = from[i].Grad;
            if (g is null) continue;
            if (into[i].Grad is null) into[i].Grad = g.Clone();
            else Ops.AddInPlace(into[i].Grad!, g);
            from[i].Grad = null;
        }
    }
}
