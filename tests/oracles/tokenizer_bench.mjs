// Peer timing for the tokenizer benchmark: the official Hugging Face tokenizers library (npm `tokenizers`).
// Usage: node tokenizer_bench.mjs tokenizer.json prompts.txt singleCount [special,tokens,to,add]
// prompts.txt holds one JSON string per line. encodeBatch runs on all prompts, one-by-one encode on the first
// singleCount (each call is an async round trip, so the full set would take minutes).
// Prints JSON: { prompts, tokens, batchSeconds, idsChecksum, singleSeconds, singleTokens }.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');

const [tokenizerPath, promptsPath, singleCount, specials] = process.argv.slice(2);
const tokenizer = Tokenizer.fromFile(tokenizerPath);
if (specials) tokenizer.addSpecialTokens(specials.split(','));
const prompts = readFileSync(promptsPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));

const checksum = (encodings) => {
  let tokens = 0, sum = 0;
  for (const e of encodings) { const ids = e.getIds(); tokens += ids.length; for (const id of ids) sum = (sum * 31 + id) % 1000000007; }
  return { tokens, sum };
};

await tokenizer.encodeBatch(prompts.slice(0, 5000)); // warm up caches and the thread pool

let t0 = process.hrtime.bigint();
const batch = await tokenizer.encodeBatch(prompts);
const batchSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const { tokens, sum } = checksum(batch);

t0 = process.hrtime.bigint();
const single = [];
for (const p of prompts.slice(0, Number(singleCount))) single.push(await tokenizer.encode(p));
const singleSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

console.log(JSON.stringify({ prompts: prompts.length, tokens, batchSeconds, singleSeconds, idsChecksum: sum, singleTokens: checksum(single).tokens }));
