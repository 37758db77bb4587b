using Microsoft.Data.Sqlite;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// Activations in an SQLite file laid out like VLM-LENS's database (compling-wat/vlm-lens: table <c>tensors</c> with
/// columns name, architecture, timestamp, image_path, prompt, layer, tensor, which its scripts/read_tensor.py queries),
/// except that <c>tensor</c> holds raw little-endian float32 bytes instead of a pickled torch tensor — read it with
/// <c>numpy.frombuffer(blob, '&lt;f4').reshape(tokens, dim)</c>. Extra columns: sample_id, pooling, tokens, dim, dtype.
/// A chunk replaces the rows of its samples in one transaction, so a resumed extraction never duplicates rows.
/// </summary>
public sealed class SqliteActivationStore : IDisposable
{
    /// <summary>The table name (VLM-LENS's default).</summary>
    public const string Table = "tensors";

    private readonly SqliteConnection _connection;

    /// <summary>Opens (creating when needed) <paramref name="path"/>.</summary>
    public SqliteActivationStore(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = $"""
            CREATE TABLE IF NOT EXISTS {Table} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL, architecture TEXT NOT NULL, timestamp TEXT NOT NULL, image_path TEXT NOT NULL,
                prompt TEXT NOT NULL, layer TEXT NOT NULL, tensor BLOB NOT NULL,
                sample_id TEXT NOT NULL, pooling TEXT NOT NULL, tokens INTEGER NOT NULL, dim INTEGER NOT NULL, dtype TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS {Table}_sample ON {Table} (name, sample_id);
            """;
        create.ExecuteNonQuery();
    }

    /// <summary>The model identity stored in <c>name</c> and <c>architecture</c>, and the rows of one chunk.</summary>
    public void WriteChunk(string modelPath, string architecture, IReadOnlyList<(ActivationRecord Row, string ImagePath, string Prompt)> rows)
    {
        if (rows.Count == 0) return;
        var timestamp = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        using var transaction = _connection.BeginTransaction();
        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = $"DELETE FROM {Table} WHERE name = $name AND sample_id = $sample";
            var name = delete.Parameters.Add("$name", SqliteType.Text);
            var sample = delete.Parameters.Add("$sample", SqliteType.Text);
            name.Value = modelPath;
            foreach (var id in rows.Select(r => r.Row.SampleId).Distinct())
            {
                sample.Value = id;
                delete.ExecuteNonQuery();
            }
        }
        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"""
                INSERT INTO {Table} (name, architecture, timestamp, image_path, prompt, layer, tensor, sample_id, pooling, tokens, dim, dtype)
                VALUES ($name, $arch, $time, $image, $prompt, $layer, $tensor, $sample, $pooling, $tokens, $dim, 'float32-le')
                """;
            var p = new[] { "$name", "$arch", "$time", "$image", "$prompt", "$layer", "$tensor", "$sample", "$pooling", "$tokens", "$dim" }
                .ToDictionary(n => n, n => insert.Parameters.Add(n, n == "$tensor" ? SqliteType.Blob : n is "$tokens" or "$dim" ? SqliteType.Integer : SqliteType.Text));
            foreach (var (row, image, prompt) in rows)
            {
                p["$name"].Value = modelPath;
                p["$arch"].Value = architecture;
                p["$time"].Value = timestamp;
                p["$image"].Value = image;
                p["$prompt"].Value = prompt;
                p["$layer"].Value = row.Layer;
                p["$tensor"].Value = LittleEndianBytes(row.Vector);
                p["$sample"].Value = row.SampleId;
                p["$pooling"].Value = row.Pooling;
                p["$tokens"].Value = row.Tokens;
                p["$dim"].Value = row.Dim;
                insert.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    /// <summary>float32 values as little-endian bytes, whatever the machine's byte order.</summary>
    public static byte[] LittleEndianBytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();
}
