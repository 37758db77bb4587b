// DuckDB's reading of a run folder's Parquet parts, as the report's tables should show it.
//   node report_duckdb.mjs leaderboard RUN_DIR -> JSON [{model, dataset, explainer, metric, mean, n}]
//   node report_duckdb.mjs bounds RUN_DIR      -> JSON [{model, dataset, metric, chance, ceiling}]
//   node report_duckdb.mjs accuracy RUN_DIR    -> JSON [{model, dataset, mean, n}]
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, runDir] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const queries = {
  leaderboard: `SELECT model, dataset, explainer, metric, avg(value) AS mean, count(*)::INTEGER AS n
                FROM read_parquet('${runDir}/scores/*.parquet')
                WHERE explainer <> '' AND token_index = -1 AND NOT (metric LIKE '%\\_chance' ESCAPE '\\' OR metric LIKE '%\\_ceiling' ESCAPE '\\')
                GROUP BY ALL ORDER BY ALL`,
  // Chance level and ceiling rows of localisation scores: one value per sample (the same for every explainer).
  bounds: `SELECT model, dataset, regexp_replace(metric, '_(chance|ceiling)$', '') AS metric,
                  avg(value) FILTER (WHERE metric LIKE '%\\_chance' ESCAPE '\\') AS chance,
                  avg(value) FILTER (WHERE metric LIKE '%\\_ceiling' ESCAPE '\\') AS ceiling
           FROM (SELECT DISTINCT model, dataset, sample_id, metric, value FROM read_parquet('${runDir}/scores/*.parquet')
                 WHERE explainer <> '' AND token_index = -1 AND (metric LIKE '%\\_chance' ESCAPE '\\' OR metric LIKE '%\\_ceiling' ESCAPE '\\'))
           GROUP BY ALL ORDER BY ALL`,
  accuracy: `SELECT model, dataset, avg(task_score) AS mean, count(*)::INTEGER AS n
             FROM read_parquet('${runDir}/samples/*.parquet') GROUP BY ALL ORDER BY ALL`,
};
if (!(mode in queries)) throw new Error(`unknown mode ${mode}`);
const reader = await conn.runAndReadAll(queries[mode]);
console.log(JSON.stringify(reader.getRowObjectsJson()));
