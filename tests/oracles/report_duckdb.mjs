// DuckDB's reading of a run folder's Parquet parts, as the report's tables should show it.
//   node report_duckdb.mjs leaderboard RUN_DIR -> JSON [{model, dataset, explainer, metric, mean, n}]
//   node report_duckdb.mjs accuracy RUN_DIR    -> JSON [{model, dataset, mean, n}]
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, runDir] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const queries = {
  leaderboard: `SELECT model, dataset, explainer, metric, avg(value) AS mean, count(*)::INTEGER AS n
                FROM read_parquet('${runDir}/scores/*.parquet')
                WHERE explainer <> '' AND token_index = -1
                GROUP BY ALL ORDER BY ALL`,
  accuracy: `SELECT model, dataset, avg(task_score) AS mean, count(*)::INTEGER AS n
             FROM read_parquet('${runDir}/samples/*.parquet') GROUP BY ALL ORDER BY ALL`,
};
if (!(mode in queries)) throw new Error(`unknown mode ${mode}`);
const reader = await conn.runAndReadAll(queries[mode]);
console.log(JSON.stringify(reader.getRowObjectsJson()));
