// Reference encodings from the official Hugging Face tokenizers library (npm `tokenizers`, Rust binding).
// Usage: node tokenizer_oracle.mjs request.json response.json
//   request:  { tokenizer, addSpecialTokens?: [str], addTokens?: [str], texts: [str], decodeIds?: [[int]] }
//   response: { vocabSize, addedIds: {str: int}, encodings: [{ids, idsPlain, decoded, decodedSkip}],
//               decodes: [{text, skip}] }
// ids: encode(text) with special tokens; idsPlain: addSpecialTokens=false; decoded*: decode(ids, skip?).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');

const [requestPath, responsePath] = process.argv.slice(2);
const request = JSON.parse(readFileSync(requestPath, 'utf8'));
const tokenizer = Tokenizer.fromFile(request.tokenizer);
if (request.addSpecialTokens?.length) tokenizer.addSpecialTokens(request.addSpecialTokens);
if (request.addTokens?.length) tokenizer.addTokens(request.addTokens);

const addedIds = {};
for (const t of [...(request.addSpecialTokens ?? []), ...(request.addTokens ?? [])]) addedIds[t] = tokenizer.tokenToId(t);

const encodings = [];
for (const text of request.texts ?? []) {
  const ids = (await tokenizer.encode(text)).getIds();
  const idsPlain = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
  encodings.push({
    ids,
    idsPlain,
    decoded: await tokenizer.decode(ids, false),
    decodedSkip: await tokenizer.decode(ids, true),
  });
}
const decodes = [];
for (const ids of request.decodeIds ?? []) {
  decodes.push({ text: await tokenizer.decode(ids, false), skip: await tokenizer.decode(ids, true) });
}
writeFileSync(responsePath, JSON.stringify({ vocabSize: tokenizer.getVocabSize(true), addedIds, encodings, decodes }));
