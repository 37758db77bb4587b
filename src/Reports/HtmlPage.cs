using System.Text;

namespace LvlmEval.Reports;

/// <summary>The report's page: one self-contained HTML document (inline style, inline SVG/PNG, a few lines of script, no network).</summary>
internal static class HtmlPage
{
    private const string Style = """
        body{font:14px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fafafa}
        header{background:#1f3b57;color:#fff;padding:14px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}
        nav{padding:6px 28px;background:#e9eef3;position:sticky;top:0;z-index:1}nav a{margin-right:16px;color:#1f3b57}
        main{padding:8px 28px 40px}section{margin:18px 0 28px}h2{border-bottom:2px solid #1f3b57;padding-bottom:4px}
        table{border-collapse:collapse}table.data td,table.data th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
        table.data thead th{background:#eef2f6;cursor:pointer}table.facts th{text-align:left;padding:2px 14px 2px 0;color:#555;font-weight:normal}
        td.best{background:#e6f4e6}td.best .mean{font-weight:bold}.ci,.n{color:#666;font-size:12px}.p{font-size:12px;color:#666}.p.sig{font-weight:bold;color:#a33}
        .num{text-align:right}.warn{color:#a33;font-weight:bold}.ok{color:#2a7a2a}.note{color:#555;font-size:13px}.scroll{overflow-x:auto}
        .grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figure.chart{background:#fff;border:1px solid #e3e3e3;flex:1 1 520px;max-width:642px}figure.chart svg{display:block;width:100%;height:auto}
        table.maps th{text-align:right;padding-right:10px;font-weight:normal;color:#333;vertical-align:middle}
        figure.map{display:inline-block;margin:2px 6px 6px 0;text-align:center;font-size:11px;max-width:170px}figure.map img{display:block;image-rendering:auto}
        figure.best figcaption{color:#2a7a2a}figure.worst figcaption{color:#a33}.sample{margin:10px 0 18px}.qa{margin:4px 0}
        tr.flag-regression td{background:#fbe9e9}tr.flag-improvement td{background:#e6f4e6}tr.flag-changed td,tr.flag-samples_lost td,tr.flag-removed td{background:#fdf3dc}
        """;

    // Click a leaderboard header to sort its rows by that column's mean (the table's first click sorts best first).
    private const string Script = """
        document.querySelectorAll('table.leaderboard').forEach(function (table) {
          table.querySelectorAll('thead th').forEach(function (th, column) {
            if (column === 0) return;
            th.addEventListener('click', function () {
              var body = table.tBodies[0];
              var lowerBetter = th.textContent.indexOf('\u2193') >= 0;
              var rows = Array.prototype.slice.call(body.rows);
              var value = function (row) { var v = parseFloat(row.cells[column].getAttribute('data-mean')); return isNaN(v) ? Infinity : (lowerBetter ? v : -v); };
              rows.sort(function (a, b) { return value(a) - value(b); });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
        });
        // Served by `lvlm-eval serve --run DIR` (as /runs/NAME/report.html), the report links to the run's samples in the explorer.
        (function () {
          var served = location.protocol.indexOf('http') === 0 && location.pathname.match(/^\/runs\/([^\/]+)\/report\.html$/);
          var link = document.getElementById('explorer-link');
          if (served && link) { link.href = '/#run=' + served[1]; link.hidden = false; }
        })();
        """;

    public static string Render(string title, string subtitle, IEnumerable<(string Id, string Label)> navigation, IEnumerable<string> sections)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>").Append(Html.E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        sb.Append("<header><h1>").Append(Html.E(title)).Append("</h1><p>").Append(Html.E(subtitle)).Append("</p></header><nav>");
        foreach (var (id, label) in navigation) sb.Append("<a href=\"#").Append(id).Append("\">").Append(Html.E(label)).Append("</a>");
        sb.Append("<a id=\"explorer-link\" href=\"/\" hidden>Samples in the explorer</a></nav><main>");
        foreach (var section in sections) sb.Append(section);
        return sb.Append("</main><script>").Append(Script).Append("</script></body></html>").ToString();
    }
}
