using System.Text.Json;
using DuckDB.NET.Data;

namespace LvlmEval.Tests.Datasets;

/// <summary>
/// Writes hub snapshots in the exact Parquet schemas of the dataset cards with DuckDB (an independent Parquet writer),
/// from the files of the original-layout fixtures, so both layouts hold the same data. The image column is the
/// <c>datasets</c> library's struct {bytes BLOB, path VARCHAR}, filled with the original image files' bytes.
/// </summary>
public static class HubFixtures
{
    /// <summary>Runs one DuckDB statement (e.g. a COPY … TO '….parquet').</summary>
    public static void Execute(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A SQL string literal.</summary>
    public static string Lit(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>Copies a SELECT into <c>ROOT/relative</c> as Parquet with the given row group size.</summary>
    public static void Copy(string root, string relative, string select, int rowGroupSize = 122_880)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Execute($"COPY ({select}) TO {Lit(path)} (FORMAT parquet, ROW_GROUP_SIZE {rowGroupSize})");
    }

    /// <summary>POPE original layout: three strategy files with a few questions about three COCO images, and val2014/.</summary>
    public static void PopeOriginal(string root)
    {
        foreach (var id in new[] { 310196, 42, 73 })
            DatasetFixtures.Image(Path.Combine(root, "val2014", $"COCO_val2014_{id:D12}.jpg"), shade: (byte)(id % 200));
        var rows = new Dictionary<string, (int Q, long Image, string Text, string Label)[]>
        {
            ["random"] = [(1, 310196, "Is there a snowboard in the image?", "yes"), (2, 310196, "Is there a dog in the image?", "no"), (3, 42, "Is there a cat in the image?", "yes")],
            ["popular"] = [(1, 42, "Is there a cat in the image?", "yes"), (2, 42, "Is there a person in the image?", "no")],
            ["adversarial"] = [(1, 73, "Is there a bus in the image?", "yes"), (2, 73, "Is there a car in the image?", "no"), (3, 310196, "Is there a skis in the image?", "no")],
        };
        foreach (var (strategy, list) in rows)
            File.WriteAllLines(Path.Combine(root, $"coco_pope_{strategy}.json"), list.Select(r => JsonSerializer.Serialize(new
            {
                question_id = r.Q, image = $"COCO_val2014_{r.Image:D12}.jpg", text = r.Text, label = r.Label,
            })));
    }

    /// <summary>
    /// lmms-lab/POPE: <c>data/test-0000N-of-00002.parquet</c> with columns id, question_id, question, answer, image_source,
    /// image, category (strings), rows in the order adversarial, popular, random as published, two shards.
    /// </summary>
    public static void PopeHub(string originalRoot, string hubRoot, int rowGroupSize = 2)
    {
        string Strategy(string s) =>
            $"SELECT *, {Lit(s)} AS category, {(s == "adversarial" ? 0 : s == "popular" ? 1 : 2)} AS rank FROM read_json({Lit(Path.Combine(originalRoot, $"coco_pope_{s}.json"))}, format = 'newline_delimited')";
        string all = $"SELECT q.*, b.content FROM ({Strategy("random")} UNION ALL {Strategy("popular")} UNION ALL {Strategy("adversarial")}) q " +
                     $"JOIN read_blob({Lit(Path.Combine(originalRoot, "val2014", "*.jpg"))}) b ON b.filename LIKE '%/' || q.image";
        string select(string where) =>
            $"SELECT CAST(row_number() OVER (ORDER BY rank, question_id) AS VARCHAR) AS id, CAST(question_id AS VARCHAR) AS question_id, text AS question, label AS answer, " +
            $"replace(image, '.jpg', '') AS image_source, {{'bytes': content, 'path': image}} AS image, category FROM ({all}) WHERE {where} ORDER BY rank, question_id";
        Copy(hubRoot, "data/test-00000-of-00002.parquet", select("rank < 2"), rowGroupSize);
        Copy(hubRoot, "data/test-00001-of-00002.parquet", select("rank = 2"), rowGroupSize);
    }
}
