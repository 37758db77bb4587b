using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>A LLaVA small enough for training tests to run many steps in seconds (32 px input, 8 px patches, width 32).</summary>
internal static class SmallArchitecture
{
    public static readonly TinyArchitecture Value = new()
    {
        ImageSize = 32, PatchSize = 8, VisionHidden = 32, VisionIntermediate = 64, VisionLayers = 1, VisionHeads = 2,
        TextHidden = 32, TextIntermediate = 64, TextLayers = 1, TextHeads = 2,
    };
}
