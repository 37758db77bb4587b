using LvlmEval.Models.Tracing;

namespace LvlmEval.Tests.Models;

/// <summary>
/// The model clock under concurrency: two threads inside the model at once count once in wall time (the union of their
/// intervals) and twice in thread time, and a nested measurement adds nothing.
/// </summary>
public sealed class ModelClockTests
{
    [Test]
    public void OverlappingThreadsCountOnceInElapsedAndTwiceInThreadTime()
    {
        var (elapsed0, thread0, calls0) = (ModelClock.Elapsed, ModelClock.ThreadTime, ModelClock.Calls);
        using var aStarted = new ManualResetEventSlim();
        using var bStarted = new ManualResetEventSlim();
        var a = new Thread(() =>
        {
            using (ModelClock.Measure())
            {
                aStarted.Set();
                bStarted.Wait();
                using (ModelClock.Measure()) Thread.Sleep(150); // nested: no second count
            }
        });
        var b = new Thread(() =>
        {
            aStarted.Wait();
            using (ModelClock.Measure())
            {
                bStarted.Set();
                Thread.Sleep(300);
            }
        });
        a.Start();
        b.Start();
        a.Join();
        b.Join();
        var elapsed = ModelClock.Elapsed - elapsed0;
        var thread = ModelClock.ThreadTime - thread0;
        Assert.That(ModelClock.Calls - calls0, Is.EqualTo(2), "outermost measurements only");
        // b's 300 ms contain a's 150 ms: the union is about 300 ms, the sum about 450 ms.
        Assert.That(elapsed.TotalMilliseconds, Is.GreaterThanOrEqualTo(295));
        Assert.That((thread - elapsed).TotalMilliseconds, Is.GreaterThanOrEqualTo(145), $"thread time {thread} vs elapsed {elapsed}");
    }

    [Test]
    public void ElapsedIncludesAComputationUnderWay()
    {
        var before = ModelClock.Elapsed;
        using (ModelClock.Measure())
        {
            Thread.Sleep(60);
            Assert.That((ModelClock.Elapsed - before).TotalMilliseconds, Is.GreaterThanOrEqualTo(55));
        }
    }
}
