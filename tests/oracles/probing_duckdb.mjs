// DuckDB as an independent reader of the activations table.
//   node probing_duckdb.mjs GLOB -> JSON [{sample_id, layer, pooling, dim, colour, vector: [...]}] ordered by sample, layer, pooling
import { DuckDBInstance } from '@duckdb/node-api';

const glob = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const reader = await conn.runAndReadAll(
  `SELECT sample_id, layer, pooling, dim, colour, vector FROM read_parquet('${glob.replaceAll("'", "''")}') ORDER BY sample_id, layer, pooling`);
const rows = reader.getRows().map(([sample_id, layer, pooling, dim, colour, vector]) => ({
  sample_id, layer, pooling, dim: Number(dim), colour, vector: vector.items.map(Number),
}));
process.stdout.write(JSON.stringify(rows));
