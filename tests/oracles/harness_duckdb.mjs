// DuckDB as the independent reader of a run folder's Parquet tables.
//   node harness_duckdb.mjs RUN_DIR SQL...   -> JSON [{sql, columns:[{name,type}], rows:[[...]]}] for each SQL
// In SQL, the views samples, scores, curves and maps read RUN_DIR/<table>/*.parquet.
import { DuckDBInstance } from '@duckdb/node-api';

function plain(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

const [dir, ...queries] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
for (const table of ['samples', 'scores', 'curves', 'maps']) {
  await conn.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${dir}/${table}/*.parquet')`);
}
const out = [];
for (const sql of queries) {
  const reader = await conn.runAndReadAll(sql);
  const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnTypes()[i].toString() }));
  out.push({ sql, columns, rows: reader.getRows().map(r => r.map(plain)) });
}
console.log(JSON.stringify(out));
