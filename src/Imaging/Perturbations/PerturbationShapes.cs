using LvlmEval.Tensors;

namespace LvlmEval.Imaging.Perturbations;

/// <summary>Shape checks shared by the perturbation helpers.</summary>
internal static class PerturbationShapes
{
    public static void RequireChw(Tensor pixels, string name)
    {
        if (pixels.Rank != 3 || pixels.Dim(0) != 3)
            throw new ArgumentException($"{name} must be a [3, H, W] tensor, got [{string.Join(", ", pixels.Shape)}].", name);
    }

    public static void RequireSameShape(Tensor pixels, Tensor other, string name)
    {
        if (!pixels.Shape.AsSpan().SequenceEqual(other.Shape))
            throw new ArgumentException($"{name} has shape [{string.Join(", ", other.Shape)}], expected [{string.Join(", ", pixels.Shape)}].", name);
    }

    public static void RequireMask(int maskLength, Tensor pixels, string name)
    {
        int plane = pixels.Dim(1) * pixels.Dim(2);
        if (maskLength != plane)
            throw new ArgumentException($"{name} holds {maskLength} values; a {pixels.Dim(1)}×{pixels.Dim(2)} image needs {plane}.", name);
    }
}
