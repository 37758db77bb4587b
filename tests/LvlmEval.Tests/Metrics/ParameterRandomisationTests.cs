using LvlmEval.Explainers;
using LvlmEval.Metrics.Sanity;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Metrics;

/// <summary>The cascading randomisation test on a tiny LLaVA with a map that only the vision side can change.</summary>
public sealed class ParameterRandomisationTests
{
    [Test]
    public void MapsChangeOnlyOnceTheGroupsTheyDependOnAreRandomised()
    {
        var arch = new TinyLlava { Seed = 41, TextLayers = 2, VisionLayers = 3 };
        using var dir = new TempDir("metrics-randomise");
        var model = arch.SaveAndLoad(dir);
        var pixels = Tensor.Randn(new Random(2), 1, 3, arch.ImageSize, arch.ImageSize);
        int side = arch.GridSide;
        // The map: L2 norm of each patch's projected image feature — independent of the language model.
        PatchMap Explain()
        {
            var features = model.ImageFeatures(pixels);
            int n = features.Dim(1), d = features.Dim(2);
            var values = new float[n];
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                foreach (float v in features.Data.Slice(i * d, d)) sum += v * v;
                values[i] = (float)Math.Sqrt(sum);
            }
            return new PatchMap(side, side, values);
        }
        var groups = ParameterRandomisation.Groups(model);
        Assert.That(groups, Is.EqualTo(new[]
        {
            "lm_head", "language.layers.1", "language.layers.0", "language.other", "projector", "vision.layers.1", "vision.layers.0", "vision.other",
        }));
        var steps = ParameterRandomisation.Cascade(model, Explain, seed: 3);
        Assert.That(steps.Select(s => s.Group), Is.EqualTo(groups));
        foreach (var step in steps.Take(4))
        {
            Assert.That(step.Spearman, Is.EqualTo(1).Within(1e-12), step.Group);
            Assert.That(step.Ssim, Is.EqualTo(1).Within(1e-9), step.Group);
        }
        Assert.That(steps[4].Spearman, Is.LessThan(0.99), "randomising the projector must move the map");
    }

    [Test]
    public void DegenerateMapsFailWithAReasonInsteadOfCountingAsChanged()
    {
        var trained = new PatchMap(2, 2, [0.1f, 0.4f, 0.2f, 0.9f]);
        // A constant map has no ranking: Spearman would be 0 ("changed"), but the step is a failure, NaN with the reason.
        var constant = ParameterRandomisation.Compare("lm_head", trained, new PatchMap(2, 2, [0f, 0f, 0f, 0f]));
        Assert.That(constant.Compared, Is.False);
        Assert.That(constant.Failure, Does.Contain("randomised map is constant"));
        Assert.That(new[] { constant.Spearman, constant.SpearmanAbsolute, constant.Ssim }, Is.All.NaN);
        var nan = ParameterRandomisation.Compare("lm_head", new PatchMap(2, 2, [0.1f, float.NaN, 0.2f, 0.9f]), trained);
        Assert.That(nan.Failure, Does.Contain("trained map holds NaN at patch 1"));
        Assert.That(nan.Spearman, Is.NaN);
        // A proper pair is compared: reversed ranks give −1.
        var reversed = ParameterRandomisation.Compare("lm_head", trained, new PatchMap(2, 2, [0.9f, 0.2f, 0.4f, 0.1f]));
        Assert.That(reversed.Compared, Is.True);
        Assert.That(reversed.Spearman, Is.EqualTo(-1).Within(1e-12));
    }

    [Test]
    public void GroupsFollowCheckpointNames()
    {
        Assert.That(ParameterRandomisation.GroupOf("language_model.model.layers.12.mlp.up_proj.weight"), Is.EqualTo("language.layers.12"));
        Assert.That(ParameterRandomisation.GroupOf("model.vision_tower.vision_model.encoder.layers.3.mlp.fc1.bias"), Is.EqualTo("vision.layers.3"));
        Assert.That(ParameterRandomisation.GroupOf("language_model.lm_head.weight"), Is.EqualTo("lm_head"));
        Assert.That(ParameterRandomisation.GroupOf("multi_modal_projector.linear_1.weight"), Is.EqualTo("projector"));
        Assert.That(ParameterRandomisation.GroupOf("language_model.model.embed_tokens.weight"), Is.EqualTo("language.other"));
    }
}
