namespace LvlmEval.Models.Tokenization;

/// <summary>Adds special tokens around an encoded sequence (tokenizer.json <c>post_processor</c>).</summary>
public interface IPostProcessor
{
    /// <summary>The final ids of a single sequence; special tokens are added only when <paramref name="addSpecialTokens"/> is set.</summary>
    void Process(List<int> ids, bool addSpecialTokens);
}

/// <summary>One element of a template: either the input sequence or a named special token expanding to fixed ids.</summary>
public readonly record struct TemplatePiece(bool IsSequence, IReadOnlyList<int> SpecialIds);

/// <summary>Fills a template such as <c>&lt;s&gt; $A</c> (<c>TemplateProcessing</c>, single-sequence form).</summary>
public sealed class TemplateProcessor(IReadOnlyList<TemplatePiece> single) : IPostProcessor
{
    public void Process(List<int> ids, bool addSpecialTokens)
    {
        if (!addSpecialTokens) return;
        var sequence = ids.ToArray();
        ids.Clear();
        foreach (var piece in single)
        {
            if (piece.IsSequence) ids.AddRange(sequence);
            else ids.AddRange(piece.SpecialIds);
        }
    }
}

/// <summary>Surrounds the sequence with a leading and a trailing token (<c>BertProcessing</c>: [CLS] A [SEP]; <c>RobertaProcessing</c>: &lt;s&gt; A &lt;/s&gt;).</summary>
public sealed class SurroundProcessor(int firstId, int lastId) : IPostProcessor
{
    public void Process(List<int> ids, bool addSpecialTokens)
    {
        if (!addSpecialTokens) return;
        ids.Insert(0, firstId);
        ids.Add(lastId);
    }
}

/// <summary>Leaves ids unchanged (<c>ByteLevel</c> post-processing only adjusts character offsets, which this library does not report).</summary>
public sealed class IdentityProcessor : IPostProcessor
{
    public void Process(List<int> ids, bool addSpecialTokens) { }
}

/// <summary>Applies post-processors in order (<c>Sequence</c>).</summary>
public sealed class SequenceProcessor(IReadOnlyList<IPostProcessor> processors) : IPostProcessor
{
    public void Process(List<int> ids, bool addSpecialTokens)
    {
        foreach (var p in processors) p.Process(ids, addSpecialTokens);
    }
}
