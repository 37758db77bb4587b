using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Tracing;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Training;

/// <summary>The shipped checkpoint against the float64 PyTorch LLaVA reference loaded from the same files: logits and greedy answers on Shapes prompts.</summary>
public sealed class ShippedParityTests
{
    [TestCase(ShippedModels.Standard)]
    [TestCase(ShippedModels.Blind)]
    public void LogitsAndAnswersMatchTorch(string name)
    {
        using var dir = new TempDir("shipped-parity");
        var model = ShippedModels.Load(name);
        var loader = new ShapesLoader();
        var items = ShapesDataset.Generate("test", ShapesSettings.ForSplit("test", 0) with { Images = 3 });
        foreach (var item in items.Take(3))
        {
            var sample = loader.ToSample(item, "test", ShapesLoader.DefaultInstruction);
            var prepared = model.Prepare(sample.Image.Load(), sample.Prompt);
            var trace = model.Forward(prepared, [], TraceOptions.Plain);
            var generated = model.Generate(prepared, 4);
            var reference = LlavaOracle.Run(ShippedModels.Folder(name), dir.File(item.Id), prepared.TokenIds, prepared.Pixels, generate: 4);
            TensorAssert.Close(trace.Logits.Data, reference.Read("logits"), 1e-4, $"{name} logits on {item.Id}");
            Assert.That(generated.TokenIds, Is.EqualTo(reference.Generated), $"{name} greedy answer to {item.Id}");
        }
    }
}
