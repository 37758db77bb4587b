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

    /// <summary>
    /// lmms-lab/VQAv2 validation from the original JSON files (questions joined with annotations by question_id, image bytes
    /// from val2014/): columns question_type, multiple_choice_answer, answers list&lt;struct{answer, answer_confidence,
    /// answer_id}&gt;, image_id, answer_type, question_id, question, image; questions without an annotation or image are dropped.
    /// </summary>
    public static void VqaV2Hub(string originalRoot, string hubRoot, int rowGroupSize = 2)
    {
        string questions = $"SELECT unnest(questions, recursive := true) FROM read_json({Lit(Path.Combine(originalRoot, "v2_OpenEnded_mscoco_val2014_questions.json"))})";
        string annotations = $"SELECT unnest(annotations) AS a FROM read_json({Lit(Path.Combine(originalRoot, "v2_mscoco_val2014_annotations.json"))})";
        string blobs = $"read_blob({Lit(Path.Combine(originalRoot, "val2014", "*.jpg"))})";
        Copy(hubRoot, "data/validation-00000-of-00001.parquet",
            $"SELECT t.a.question_type, t.a.multiple_choice_answer, t.a.answers, q.image_id::BIGINT AS image_id, t.a.answer_type, q.question_id::BIGINT AS question_id, q.question, " +
            $"{{'bytes': b.content, 'path': 'COCO_val2014_' || lpad(q.image_id::VARCHAR, 12, '0') || '.jpg'}} AS image " +
            $"FROM ({questions}) q JOIN ({annotations}) t ON t.a.question_id = q.question_id " +
            $"JOIN {blobs} b ON b.filename LIKE '%COCO_val2014_' || lpad(q.image_id::VARCHAR, 12, '0') || '.jpg' " +
            $"WHERE q.question IS NOT NULL ORDER BY q.question_id", rowGroupSize);
    }

    /// <summary>
    /// ILSVRC/imagenet-1k validation from a flat-layout fixture: columns image {bytes, path = file name}, label = the wnid's
    /// line index in LOC_synset_mapping.txt (its standard class index), rows in a shuffled order across two shards.
    /// </summary>
    public static void ImageNetHub(string originalRoot, string hubRoot)
    {
        var wnids = File.ReadAllLines(Path.Combine(originalRoot, "LOC_synset_mapping.txt")).Select(l => l.Split(' ')[0]).ToList();
        string labels = string.Join(" UNION ALL ", wnids.Select((w, i) => $"SELECT {Lit(w)} AS wnid, {i}::BIGINT AS label"));
        string solution = $"SELECT ImageId, split_part(trim(PredictionString), ' ', 1) AS wnid FROM read_csv({Lit(Path.Combine(originalRoot, "LOC_val_solution.csv"))}, header = true, all_varchar = true)";
        string rows = $"SELECT {{'bytes': b.content, 'path': s.ImageId || '.JPEG'}} AS image, l.label FROM ({solution}) s JOIN ({labels}) l USING (wnid) " +
                      $"JOIN read_blob({Lit(Path.Combine(originalRoot, "*.JPEG"))}) b ON b.filename LIKE '%/' || s.ImageId || '.JPEG'";
        Copy(hubRoot, "data/validation-00000-of-00002.parquet", $"SELECT * FROM ({rows}) WHERE image.path > 'ILSVRC2012_val_00000001.JPEG' ORDER BY image.path DESC", 1);
        Copy(hubRoot, "data/validation-00001-of-00002.parquet", $"SELECT * FROM ({rows}) WHERE image.path <= 'ILSVRC2012_val_00000001.JPEG'", 1);
    }

    /// <summary>
    /// lmms-lab/ChartQA test from the original JSON files: columns type (human_test / augmented_test), question, answer,
    /// image {bytes, path = imgname}; augmented rows first (the hub's order need not be the loader's), records without a
    /// label or whose image is outside the split folder dropped.
    /// </summary>
    public static void ChartQaHub(string originalRoot, string hubRoot)
    {
        string test = Path.Combine(originalRoot, "ChartQA Dataset", "test");
        string Subset(string subset, int rank) =>
            $"SELECT *, {Lit(subset + "_test")} AS type, {rank} AS rank, row_number() OVER () AS n FROM read_json({Lit(Path.Combine(test, $"test_{subset}.json"))})";
        Copy(hubRoot, "data/test-00000-of-00001.parquet",
            $"SELECT q.type, q.query AS question, q.label AS answer, {{'bytes': b.content, 'path': q.imgname}} AS image " +
            $"FROM ({Subset("augmented", 0)} UNION ALL BY NAME {Subset("human", 1)}) q JOIN read_blob({Lit(Path.Combine(test, "png", "*.png"))}) b ON b.filename LIKE '%/' || q.imgname " +
            "WHERE q.label IS NOT NULL ORDER BY q.rank, q.n", 1);
    }

    /// <summary>lmms-lab-eval/MMVP from Questions.csv: columns Index, Question, Options, Correct Answer, image; rows whose image is missing dropped.</summary>
    public static void MmvpHub(string originalRoot, string hubRoot)
    {
        Copy(hubRoot, "data/train-00000-of-00001.parquet",
            $"SELECT q.\"Index\"::BIGINT AS \"Index\", q.\"Question\", q.\"Options\", q.\"Correct Answer\", {{'bytes': b.content, 'path': q.\"Index\" || '.jpg'}} AS image " +
            $"FROM read_csv({Lit(Path.Combine(originalRoot, "Questions.csv"))}, header = true, all_varchar = true, ignore_errors = true) q " +
            $"JOIN read_blob({Lit(Path.Combine(originalRoot, "MMVP Images", "*.jpg"))}) b ON b.filename LIKE '%/' || q.\"Index\" || '.jpg' ORDER BY q.\"Index\"::BIGINT", 1);
    }
}
