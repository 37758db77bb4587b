using System.Diagnostics;
using System.Globalization;
using System.Text;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;

namespace LvlmEval.Reports.Charts;

/// <summary>Chromium (or Chrome) was not found or failed; the message says which executable and why.</summary>
public sealed class ChromiumException(string message) : Exception(message);

/// <summary>
/// Rasterises SVG charts to PNG with headless Chromium. Starting a browser costs seconds, so charts are laid out on
/// pages (two columns, up to <see cref="PageHeight"/> CSS pixels tall), each page is screenshotted once and cut into
/// one PNG per chart. Output is at twice the CSS size, sharp enough for papers.
/// </summary>
public static class ChartRasterizer
{
    /// <summary>Device pixels per CSS pixel in the PNGs.</summary>
    public const int Scale = 2;

    private const int PageHeight = 4000, Columns = 2;

    /// <summary>The Chromium to use: <paramref name="configured"/>, else $LVLM_EVAL_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH; null if none.</summary>
    public static string? FindChromium(string? configured = null)
    {
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        if (Environment.GetEnvironmentVariable("LVLM_EVAL_CHROMIUM") is { Length: > 0 } fromEnv && File.Exists(fromEnv)) return fromEnv;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    /// <summary>Writes <c>NAME.png</c> for every chart into <paramref name="outputDir"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WritePngs(IReadOnlyList<SvgChart> charts, string outputDir, string chromium)
    {
        Directory.CreateDirectory(outputDir);
        var written = new List<string>();
        foreach (var page in Paginate(charts))
        {
            string work = Path.Combine(Path.GetTempPath(), $"lvlmeval-raster-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            try
            {
                int width = page.Max(p => p.X + p.Chart.Width), height = page.Max(p => p.Y + p.Chart.Height);
                string html = Path.Combine(work, "page.html"), shot = Path.Combine(work, "page.png");
                File.WriteAllText(html, PageHtml(page));
                Screenshot(chromium, html, shot, width, height, Path.Combine(work, "profile"));
                var image = PngCodec.Decode(File.ReadAllBytes(shot), shot);
                foreach (var (chart, x, y) in page)
                {
                    string target = Path.Combine(outputDir, chart.Name + ".png");
                    var crop = Crop(image, x * Scale, y * Scale, chart.Width * Scale, chart.Height * Scale, shot);
                    File.WriteAllBytes(target, PngCodec.Encode(crop));
                    written.Add(target);
                }
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        return written;
    }

    /// <summary>Places charts row by row in two columns, starting a new page before <see cref="PageHeight"/> is exceeded.</summary>
    private static List<List<(SvgChart Chart, int X, int Y)>> Paginate(IReadOnlyList<SvgChart> charts)
    {
        var pages = new List<List<(SvgChart, int, int)>>();
        int columnWidth = charts.Count == 0 ? 0 : charts.Max(c => c.Width);
        for (int i = 0; i < charts.Count;)
        {
            var page = new List<(SvgChart, int, int)>();
            int y = 0;
            while (i < charts.Count)
            {
                var row = charts.Skip(i).Take(Columns).ToList();
                int rowHeight = row.Max(c => c.Height);
                if (page.Count > 0 && y + rowHeight > PageHeight) break;
                for (int c = 0; c < row.Count; c++) page.Add((row[c], c * columnWidth, y));
                y += rowHeight;
                i += row.Count;
            }
            pages.Add(page);
        }
        return pages;
    }

    private static string PageHtml(IEnumerable<(SvgChart Chart, int X, int Y)> page)
    {
        var sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><style>body{margin:0;background:#fff}div{position:absolute}</style></head><body>");
        foreach (var (chart, x, y) in page)
            sb.Append(CultureInfo.InvariantCulture, $"<div style=\"left:{x}px;top:{y}px\">").Append(chart.Svg).Append("</div>");
        return sb.Append("</body></html>").ToString();
    }

    private static void Screenshot(string chromium, string html, string png, int width, int height, string profile)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                     $"--force-device-scale-factor={Scale}", $"--user-data-dir={profile}", $"--window-size={width},{height}", $"--screenshot={png}",
                     new Uri(html).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new ChromiumException($"Could not start '{chromium}'.");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new ChromiumException($"'{chromium}' did not finish the screenshot of {html} in 120 s.");
        }
        if (process.ExitCode != 0 || !File.Exists(png))
            throw new ChromiumException($"'{chromium}' exited with {process.ExitCode} without writing {png}: {Tail(stderr.Result)}");
    }

    private static RgbImage Crop(RgbImage image, int x, int y, int width, int height, string source)
    {
        if (x + width > image.Width || y + height > image.Height)
            throw new ChromiumException($"{source} is {image.Width}×{image.Height}; expected room for a {width}×{height} chart at ({x}, {y}).");
        var crop = new RgbImage(width, height);
        for (int row = 0; row < height; row++)
            image.Pixels.AsSpan(((y + row) * image.Width + x) * 3, width * 3).CopyTo(crop.Row(row));
        return crop;
    }

    private static string Tail(string text) => text.Length <= 800 ? text : text[^800..];
}
