using LvlmEval.Explorer.Serving;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// A served model's calls run one at a time in arrival order, each waiting call knows its position, and a failing call
/// leaves the queue working; through HTTP, the queue endpoint reports a waiting ask's position.
/// </summary>
public sealed class ModelQueueTests
{
    [Test]
    public async Task CallsRunOneAtATimeInOrderWithPositions()
    {
        var queue = new ModelQueue();
        using var release = new ManualResetEventSlim();
        int running = 0, most = 0;
        var order = new List<string>();
        Func<string, Func<int>> work = name => () =>
        {
            int now = Interlocked.Increment(ref running);
            lock (order) { most = Math.Max(most, now); order.Add(name); }
            if (name == "a") release.Wait();
            Thread.Sleep(5);
            Interlocked.Decrement(ref running);
            return 0;
        };
        var a = queue.Run("a", work("a"));
        while (order.Count == 0) await Task.Delay(5);
        var b = queue.Run("b", work("b"));
        var c = queue.Run("c", work("c"));
        Assert.That((queue.PositionOf("a"), queue.PositionOf("b"), queue.PositionOf("c")), Is.EqualTo(((int?)0, (int?)1, (int?)2)));
        Assert.That(queue.Length, Is.EqualTo(3));
        release.Set();
        await Task.WhenAll(a, b, c);
        Assert.That(most, Is.EqualTo(1), "never two calls at once");
        Assert.That(order, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(queue.PositionOf("b"), Is.Null, "finished calls leave the line");
        Assert.That(queue.Length, Is.EqualTo(0));
    }

    [Test]
    public async Task AFailingCallLeavesTheQueueWorking()
    {
        var queue = new ModelQueue();
        Assert.ThrowsAsync<InvalidOperationException>(() => queue.Run<int>("bad", () => throw new InvalidOperationException("boom")));
        Assert.That(await queue.Run("good", () => 42), Is.EqualTo(42));
        Assert.That(queue.Length, Is.EqualTo(0));
    }

    [Test]
    public async Task QueueEndpointReportsAWaitingAsksPosition()
    {
        // Hold the Shapes model's queue with a call that waits, then ask: the ask waits at position 1 until released.
        var served = ExplorerFixture.Server.State.Models["tiny-llava-shapes"];
        using var release = new ManualResetEventSlim();
        var holder = served.Queue.Run("holder", () => release.Wait(TimeSpan.FromMinutes(1)));
        var fields = new[] { ("model", "tiny-llava-shapes"), ("prompt", ExplorerFixture.Scene.Prompt), ("ticket", "waiting-ask") };
        var ask = ExplorerFixture.Post("/api/ask", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", fields));
        int? position = null;
        for (int i = 0; i < 200 && position is null; i++)
        {
            var (_, body, _) = await ExplorerFixture.Get("/api/queue?model=tiny-llava-shapes&ticket=waiting-ask");
            position = (int?)body!["position"];
            if (position is null) await Task.Delay(20);
        }
        Assert.That(position, Is.EqualTo(1));
        Assert.That(ask.IsCompleted, Is.False, "the ask waits for the call ahead of it");
        release.Set();
        await holder;
        Assert.That((await ask).Status, Is.EqualTo(200));
        var (_, after, _) = await ExplorerFixture.Get("/api/queue?model=tiny-llava-shapes&ticket=waiting-ask");
        Assert.That((int?)after!["position"], Is.Null);
    }
}
