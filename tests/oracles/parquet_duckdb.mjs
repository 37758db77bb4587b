// DuckDB as an independent Parquet reader and writer for the LvlmEval.Parquet tests and benchmark.
//   node parquet_duckdb.mjs read FILE              -> JSON {columns, rows, metadata, kv} of DuckDB's view of FILE
//   node parquet_duckdb.mjs write DIR ROWS          -> writes DuckDB files in DIR; JSON [{file, options, columns, rows, metadata}]
//   node parquet_duckdb.mjs copy SRC DST CODEC REPS -> loads SRC into a table, times COPY ... TO DST; JSON {ms:[...], bytes}
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

// Exact text for every value: numbers in JS shortest round-trip form, BIGINT as decimal, timestamps as epoch micros.
function exact(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'object' && 'micros' in v) return v.micros.toString();
  if (typeof v === 'object' && 'millis' in v) return (BigInt(v.millis) * 1000n).toString();
  throw new Error(`unexpected value ${v} of type ${typeof v}`);
}

async function rowsOf(conn, sql) {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRows().map(r => r.map(exact));
}

async function describe(conn, source) {
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  return reader.getRowObjectsJson().map(r => ({ name: r.column_name, type: r.column_type }));
}

async function metadata(conn, file) {
  const reader = await conn.runAndReadAll(
    `SELECT row_group_id, row_group_num_rows, path_in_schema, type, encodings, compression, num_values,
            stats_min_value, stats_max_value, stats_null_count
     FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`);
  return reader.getRowObjectsJson();
}

const [mode, ...args] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();

if (mode === 'read') {
  const file = args[0];
  const source = `read_parquet('${file}')`;
  const columns = await describe(conn, source);
  const rows = await rowsOf(conn, `SELECT * FROM ${source}`);
  const kvReader = await conn.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`);
  console.log(JSON.stringify({ columns, rows, metadata: await metadata(conn, file), kv: kvReader.getRowObjectsJson() }));
} else if (mode === 'write') {
  const [dir, n] = args;
  await conn.run(`CREATE TABLE t AS SELECT
      i::INTEGER AS i32,
      CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 37 - 5000)::INTEGER END AS i32_null,
      i::BIGINT * 2654435761 - 9000000000 AS i64,
      CASE WHEN i % 5 = 1 THEN NULL ELSE i::BIGINT * -1234567891 END AS i64_null,
      (i * 0.37 - 11.5)::DOUBLE AS f64,
      CASE WHEN i % 4 = 0 THEN NULL ELSE sqrt(i) END::DOUBLE AS f64_null,
      (i / 3.0)::FLOAT AS f32,
      CASE WHEN i % 6 = 0 THEN NULL ELSE i * -1.7 END::FLOAT AS f32_null,
      i % 3 = 0 AS bool,
      CASE WHEN i % 6 = 5 THEN NULL ELSE i % 2 = 0 END AS bool_null,
      'cat_' || (i % 11) AS str_dict,
      CASE WHEN i % 9 = 0 THEN NULL ELSE ['α', 'βeta', '日本', '🙂', 'plain'][i % 5 + 1] || (i % 7) END AS str_dict_null,
      md5(i::VARCHAR) || '✓' AS str_plain,
      CASE WHEN i % 8 = 2 THEN NULL ELSE repeat('x', i % 13) || md5((i * 7)::VARCHAR) END AS str_plain_null,
      make_timestamp(1700000000000000 + i * 1234567) AS ts,
      CASE WHEN i % 10 = 4 THEN NULL ELSE make_timestamp(1600000000000000 - i * 987654321) END::TIMESTAMPTZ AS ts_tz_null,
      make_timestamp(1500000000000000 + i * 1000)::TIMESTAMP_MS AS ts_ms
    FROM range(${Number(n)}) r(i)`);
  const columns = await describe(conn, 't');
  const rows = await rowsOf(conn, 'SELECT * FROM t');
  const variants = [
    { name: 'snappy', options: "COMPRESSION SNAPPY, ROW_GROUP_SIZE 2048" },
    { name: 'gzip', options: "COMPRESSION GZIP, ROW_GROUP_SIZE 2048" },
    { name: 'uncompressed', options: "COMPRESSION UNCOMPRESSED" },
    { name: 'snappy_v2', options: "COMPRESSION SNAPPY, PARQUET_VERSION V2, ROW_GROUP_SIZE 2048" },
    { name: 'uncompressed_v2', options: "COMPRESSION UNCOMPRESSED, PARQUET_VERSION V2" },
  ];
  const out = [];
  for (const v of variants) {
    const file = path.join(dir, `duckdb_${v.name}.parquet`);
    await conn.run(`COPY t TO '${file}' (FORMAT PARQUET, ${v.options})`);
    out.push({ file, options: v.options, columns, rows, metadata: await metadata(conn, file) });
  }
  console.log(JSON.stringify(out));
} else if (mode === 'copy') {
  const [src, dst, codec, reps] = args;
  await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${src}')`);
  const ms = [];
  for (let r = 0; r < Number(reps); r++) {
    const t0 = process.hrtime.bigint();
    await conn.run(`COPY t TO '${dst}' (FORMAT PARQUET, COMPRESSION ${codec})`);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const threads = (await rowsOf(conn, "SELECT current_setting('threads')"))[0][0];
  console.log(JSON.stringify({ ms, bytes: fs.statSync(dst).size, threads }));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
