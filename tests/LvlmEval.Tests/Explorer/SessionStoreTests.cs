using LvlmEval.Explorer.Inspection;
using LvlmEval.Models.Llava;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// Kept sessions are bounded by count and by the bytes of their traces (attention maps and hidden states, whose sizes
/// follow from the model's shape), dropping the least recently used first and always keeping the newest.
/// </summary>
public sealed class SessionStoreTests
{
    private static AnswerSession NewSession()
    {
        var served = ExplorerFixture.Server.State.Models["tiny-llava-shapes"];
        return AnswerSession.Create(served, ExplorerFixture.Scene.Image, ExplorerFixture.Scene.Prompt, PromptTemplate.Auto, 2);
    }

    [Test]
    public void TraceBytesFollowTheModelsShape()
    {
        var session = NewSession();
        var config = session.Served.Model.Config.Text;
        long s = session.Trace.TokenIds.Length;
        long expected = 4 * (config.NumLayers * config.NumHeads * s * s + (config.NumLayers + 1) * s * config.HiddenSize);
        Assert.That(session.TraceBytes, Is.EqualTo(expected));
    }

    [Test]
    public void LeastRecentlyUsedSessionsLeaveFirstWithinCountAndBytes()
    {
        var (a, b, c, d) = (NewSession(), NewSession(), NewSession(), NewSession());
        var byBytes = new SessionStore(capacity: 8, budgetBytes: a.TraceBytes * 5 / 2);
        byBytes.Add(a);
        byBytes.Add(b);
        byBytes.Add(c);
        Assert.That((byBytes.Find(a.Id), byBytes.Find(b.Id), byBytes.Find(c.Id)), Is.EqualTo(((AnswerSession?)null, b, c)), "two fit the budget");
        Assert.That(byBytes.Find(b.Id), Is.SameAs(b), "b is now the most recently used");
        byBytes.Add(d);
        Assert.That((byBytes.Find(b.Id), byBytes.Find(c.Id), byBytes.Find(d.Id)), Is.EqualTo((b, (AnswerSession?)null, d)));

        var byCount = new SessionStore(capacity: 2);
        foreach (var s in new[] { a, b, c }) byCount.Add(s);
        Assert.That(byCount.Count, Is.EqualTo(2));
        Assert.That(byCount.Find(a.Id), Is.Null);

        var tiny = new SessionStore(capacity: 8, budgetBytes: 1);
        tiny.Add(a);
        Assert.That(tiny.Find(a.Id), Is.SameAs(a), "the newest is kept even beyond the budget");
    }
}
