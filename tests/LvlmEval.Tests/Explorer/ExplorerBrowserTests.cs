using Microsoft.Playwright;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// The page driven in a real browser (Playwright on Debian's Chromium, headless; no browser download): upload an image,
/// ask, click an answer token, change layer and head and see the heatmap's pixels change each time, open a run sample
/// and see its image; the page logs no console error and throws no script error along the way.
/// </summary>
public sealed class ExplorerBrowserTests
{
    /// <summary>Debian's Chromium, installed by scripts/setup.sh.</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Starts Playwright and a headless Chromium from <see cref="Chromium"/>.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> Launch()
    {
        if (!File.Exists(Chromium)) Assert.Fail($"{Chromium} is missing: run ./scripts/setup.sh (it installs Debian's chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return (playwright, browser);
    }

    /// <summary>Opens the explorer in a new page and records its console errors and script errors.</summary>
    public static async Task<(IPage Page, List<string> Errors)> Open(IBrowser browser, int width = 1280, int height = 900)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(ExplorerFixture.Server.Address.ToString());
        await page.WaitForSelectorAsync("#model option", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        Assert.That(errors, Is.Empty, "the page starts without errors");
        return (page, errors);
    }

    /// <summary>Uploads the scene, asks the Shapes model, and waits for the first inspection to be drawn.</summary>
    public static async Task AskScene(IPage page)
    {
        await page.SelectOptionAsync("#model", "tiny-llava-shapes");
        await page.SetInputFilesAsync("#image", ExplorerFixture.Scene.Path);
        await page.FillAsync("#prompt", ExplorerFixture.Scene.Prompt);
        await page.ClickAsync("#ask");
        await page.WaitForSelectorAsync(".answer .token[data-index='0']");
        await page.WaitForFunctionAsync("document.getElementById('timing').textContent.length > 0");
    }

    private static Task<string> Heatmap(IPage page) => page.EvaluateAsync<string>("document.getElementById('heatmap').toDataURL()");

    // Runs a change and waits for the attention response it triggers, then for the canvas to be redrawn.
    private static async Task<string> AfterAttention(IPage page, Func<Task> change)
    {
        await page.RunAndWaitForResponseAsync(change, r => r.Url.Contains("/attention?", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("() => new Promise(r => requestAnimationFrame(() => r(true)))");
        return await Heatmap(page);
    }

    [Test]
    public async Task UploadAskInspectAndOpenARunSample()
    {
        var (playwright, browser) = await Launch();
        try
        {
            var (page, errors) = await Open(browser);
            await AskScene(page);
            var whole = await Heatmap(page);

            var token = await AfterAttention(page, () => page.ClickAsync(".answer .token[data-index='0']"));
            Assert.That(await page.TextContentAsync("#inspect-title"), Does.Contain("token 0"));
            var layer0 = await AfterAttention(page, () => page.SelectOptionAsync("#layer", "0"));
            Assert.That(layer0, Is.Not.EqualTo(token), "changing the layer redraws the heatmap");
            var head1 = await AfterAttention(page, () => page.SelectOptionAsync("#head", "1"));
            Assert.That(head1, Is.Not.EqualTo(layer0), "changing the head redraws the heatmap");
            Assert.That(await page.Locator("#text-bars .bar").CountAsync(), Is.GreaterThan(0), "bars over the prompt");
            Assert.That(await page.Locator("#heads td").CountAsync(), Is.EqualTo(2 * 4), "layers × heads grid");
            Assert.That(await page.Locator("#lens tr").CountAsync(), Is.EqualTo(1 + 3), "logit lens: header, embeddings and two layers");

            // An explainer on demand, with its cost.
            await page.ClickAsync("#explainer-buttons button[data-explainer='relevancy']");
            await page.WaitForSelectorAsync(".explanation[data-explainer='relevancy'] canvas");
            Assert.That(await page.TextContentAsync(".explanation[data-explainer='relevancy']"), Does.Contain("backwards"));

            // The runs tab: list, open a sample, see its image.
            await page.ClickAsync("#tab-runs");
            await page.WaitForSelectorAsync("#samples tbody tr");
            Assert.That(await page.Locator("#samples tbody tr").CountAsync(), Is.EqualTo(4));
            await page.ClickAsync("#samples tbody tr >> nth=0");
            await page.WaitForFunctionAsync("document.getElementById('sample-title').textContent.length > 0");
            await page.WaitForFunctionAsync("document.getElementById('sample-canvas').width !== 320 || document.getElementById('sample-canvas').height !== 320");
            Assert.That(await page.Locator("#sample-scores tbody tr").CountAsync(), Is.GreaterThan(0), "the sample's scores");
            Assert.That(errors, Is.Empty, "console and script errors");
            Assert.That(whole, Is.Not.Empty);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    [Test]
    public async Task ServedReportLinksToTheRunsSamples()
    {
        Assert.That(File.Exists(Path.Combine(ExplorerFixture.RunFolder, "report.html")), "the run wrote its report");
        var (playwright, browser) = await Launch();
        try
        {
            var page = await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, error) => errors.Add(error);
            await page.GotoAsync(new Uri(ExplorerFixture.Server.Address, "runs/run/report.html").ToString());
            await page.ClickAsync("#explorer-link");
            await page.WaitForSelectorAsync("#samples tbody tr");
            Assert.That(page.Url, Does.EndWith("/#run=run"));
            Assert.That(await page.IsVisibleAsync("#panel-runs"), "the runs tab is open");
            Assert.That(await page.Locator("#samples tbody tr").CountAsync(), Is.EqualTo(4));
            Assert.That(errors, Is.Empty);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    [Test]
    public async Task ExplanationSetIsShownAsOutlinedPatchesAndHighlightedWords()
    {
        // Registered while the server runs, as a plugin's CLEANN would be: the next answer lists it.
        LvlmEval.Explainers.ExplainerRegistry.Register(KnownSetExplainer.Name, _ => new KnownSetExplainer());
        var (playwright, browser) = await Launch();
        try
        {
            var (page, errors) = await Open(browser);
            await AskScene(page);
            await AfterAttention(page, () => page.ClickAsync(".answer .token[data-index='0']"));
            await page.ClickAsync($"#explainer-buttons button[data-explainer='{KnownSetExplainer.Name}']");
            var box = page.Locator($".explanation[data-explainer='{KnownSetExplainer.Name}']");
            await box.Locator(".set").WaitForAsync();
            Assert.That(await box.Locator(".set").TextContentAsync(), Does.Contain("explanation set: 2 patches"));
            // The highlighted word is the first text token after the image, as the session's prompt tokens name it.
            var words = await box.Locator(".set .token").AllTextContentsAsync();
            Assert.That(words, Has.Count.EqualTo(1));
            var ask = await ExplorerFixture.AskScene();
            var first = ask["prompt_tokens"]!.AsArray().First(t => (int)t!["position"]! == (int)ask["image_token_span"]!["start"]! + (int)ask["image_token_span"]!["count"]!)!;
            Assert.That(words[0], Is.EqualTo((string)first["token"]!));
            Assert.That(errors, Is.Empty);
        }
        finally
        {
            LvlmEval.Explainers.ExplainerRegistry.Unregister(KnownSetExplainer.Name);
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    [Test]
    public async Task EditedAnswerStandsBesideTheOriginal()
    {
        var (playwright, browser) = await Launch();
        try
        {
            var (page, errors) = await Open(browser);
            await AskScene(page);
            // Drag a rectangle over the top-left quarter of the source canvas, mask it black, ask again.
            var box = (await page.Locator("#source").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + 2, box.Y + 2);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 5 });
            await page.Mouse.UpAsync();
            await page.SelectOptionAsync("#edit-kind", "mask-black");
            await page.ClickAsync("#ask-edited");
            await page.WaitForFunctionAsync("document.querySelectorAll('.answer').length === 2");
            Assert.That(await page.TextContentAsync(".answer >> nth=1"), Does.Contain("mask-black"));
            Assert.That(errors, Is.Empty, "console and script errors");
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Writes docs/explorer.png (after asking, clicking a token and running relevancy and Grad-CAM) and docs/explorer-runs.png (a run sample); run by hand.</summary>
    [Test, Explicit("writes docs/explorer.png")]
    public async Task WriteDocsScreenshot()
    {
        var (playwright, browser) = await Launch();
        try
        {
            var (page, _) = await Open(browser, 1400, 1250);
            await AskScene(page);
            await AfterAttention(page, () => page.ClickAsync(".answer .token[data-index='0']"));
            await page.ClickAsync("#explainer-buttons button[data-explainer='relevancy']");
            await page.WaitForSelectorAsync(".explanation[data-explainer='relevancy'] canvas");
            await page.ClickAsync("#explainer-buttons button[data-explainer='gradcam']");
            await page.WaitForSelectorAsync(".explanation[data-explainer='gradcam'] canvas");
            // Reverse view of the patch under the square (right edge, a little below the middle of the scene).
            await page.CheckAsync("#reverse-mode");
            var heat = (await page.Locator("#heatmap").BoundingBoxAsync())!;
            await page.RunAndWaitForResponseAsync(() => page.Mouse.ClickAsync(heat.X + heat.Width * 0.9f, heat.Y + heat.Height * 0.6f), r => r.Url.Contains("/reverse?", StringComparison.Ordinal));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Root, "docs", "explorer.png"), FullPage = true });
            await page.ClickAsync("#tab-runs");
            await page.WaitForSelectorAsync("#samples tbody tr");
            await page.ClickAsync("#samples tbody tr >> nth=1");
            await page.WaitForFunctionAsync("document.getElementById('sample-canvas').width !== 320 || document.getElementById('sample-canvas').height !== 320");
            await page.SelectOptionAsync("#sample-map", new SelectOptionValue { Index = 2 });
            await page.SetViewportSizeAsync(1400, 800);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Root, "docs", "explorer-runs.png") });
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
