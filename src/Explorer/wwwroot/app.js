// LvlmEval explorer page: talks to the JSON API of docs/EXPLORER.md; draws every heatmap on a canvas from the patch grid.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { info: null, file: null, sourceImage: null, rect: null, sessions: [], active: null, token: -1, patches: new Set(), attention: null };

// Viridis, 9 stops (matplotlib's table sampled evenly), interpolated linearly.
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
function viridis(t) {
  t = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(t)), f = t - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

async function api(url, options) {
  const response = await fetch(url, options);
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) throw new Error(body && body.error ? body.error : `${response.status} ${response.statusText}`);
  return body;
}

function option(select, value, label) {
  const o = document.createElement('option');
  o.value = value; o.textContent = label ?? value;
  select.appendChild(o);
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function setStatus(text) { $('status').textContent = text; }

// ---- drawing ---------------------------------------------------------------------------------------------------

function fitCanvas(canvas, image, longest = 320) {
  const scale = longest / Math.max(image.width, image.height);
  canvas.width = Math.max(1, Math.round(image.width * scale));
  canvas.height = Math.max(1, Math.round(image.height * scale));
}

// Image, then the grid min-max normalised through viridis at the given opacity (smoothed by the browser's scaling).
function drawHeatmap(canvas, image, grid, opacity, selected) {
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (image) ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (!grid || grid.length === 0) return;
  const h = grid.length, w = grid[0].length;
  const flat = grid.flat().filter((v) => v !== null && Number.isFinite(v));
  const lo = Math.min(...flat), hi = Math.max(...flat), span = hi - lo || 1;
  const small = document.createElement('canvas');
  small.width = w; small.height = h;
  const sctx = small.getContext('2d');
  const pixels = sctx.createImageData(w, h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
    const v = grid[r][c];
    const [R, G, B] = viridis(v === null ? 0 : (v - lo) / span);
    const i = (r * w + c) * 4;
    pixels.data[i] = R; pixels.data[i + 1] = G; pixels.data[i + 2] = B; pixels.data[i + 3] = 255;
  }
  sctx.putImageData(pixels, 0, 0);
  ctx.globalAlpha = opacity;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  ctx.globalAlpha = 1;
  if (selected && selected.size) {
    ctx.strokeStyle = '#ff3d3d'; ctx.lineWidth = 2;
    const cw = canvas.width / w, ch = canvas.height / h;
    for (const p of selected) ctx.strokeRect((p % w) * cw + 1, Math.floor(p / w) * ch + 1, cw - 2, ch - 2);
  }
}

function bars(container, entries, key = 'value') {
  container.replaceChildren();
  const max = Math.max(1e-12, ...entries.map((e) => Math.abs(e[key])));
  for (const e of entries) {
    const row = el('div', 'bar' + (e.kind === 'answer' ? ' kind-answer' : ''));
    const label = el('span', 'label', e.token === '' ? '∅' : e.token);
    label.title = `position ${e.position}`;
    const track = el('span', 'track');
    const fill = el('span', 'fill');
    fill.style.display = 'block';
    fill.style.width = `${(100 * Math.abs(e[key]) / max).toFixed(1)}%`;
    track.appendChild(fill);
    row.append(label, track, el('span', 'value', Number(e[key]).toFixed(4)));
    container.appendChild(row);
  }
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`cannot load ${url}`));
    image.src = url;
  });
}

// ---- asking ----------------------------------------------------------------------------------------------------

function drawSource() {
  const canvas = $('source');
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!state.sourceImage) return;
  ctx.drawImage(state.sourceImage, 0, 0, canvas.width, canvas.height);
  if (state.rect) {
    const s = canvas.width / state.sourceImage.width;
    ctx.strokeStyle = '#ff3d3d'; ctx.lineWidth = 2; ctx.setLineDash([6, 4]);
    ctx.strokeRect(state.rect.x * s, state.rect.y * s, state.rect.w * s, state.rect.h * s);
    ctx.setLineDash([]);
  }
}

function canvasPoint(canvas, event) {
  const box = canvas.getBoundingClientRect();
  return { x: (event.clientX - box.left) * canvas.width / box.width, y: (event.clientY - box.top) * canvas.height / box.height };
}

function setupRectangle() {
  const canvas = $('source');
  let start = null;
  canvas.addEventListener('mousedown', (e) => { if (state.sourceImage) start = canvasPoint(canvas, e); });
  canvas.addEventListener('mousemove', (e) => {
    if (!start) return;
    const p = canvasPoint(canvas, e), s = state.sourceImage.width / canvas.width;
    const x0 = Math.min(start.x, p.x), y0 = Math.min(start.y, p.y);
    state.rect = { x: Math.round(x0 * s), y: Math.round(y0 * s), w: Math.max(1, Math.round(Math.abs(p.x - start.x) * s)), h: Math.max(1, Math.round(Math.abs(p.y - start.y) * s)) };
    drawSource();
  });
  window.addEventListener('mouseup', () => { start = null; });
}

async function pollQueue(model, ticket, done) {
  while (!done.value) {
    try {
      const q = await api(`/api/queue?model=${encodeURIComponent(model)}&ticket=${ticket}`);
      if (!done.value) $('queue').textContent = q.position === null ? 'working…' : q.position === 0 ? 'running…' : `queued: position ${q.position} (${q.length} in line)`;
    } catch { /* the answer itself reports errors */ }
    await new Promise((r) => setTimeout(r, 400));
  }
}

async function ask(withEdit) {
  $('ask-error').textContent = '';
  if (!state.file) { $('ask-error').textContent = 'Choose an image first.'; return; }
  if (withEdit && !state.rect) { $('ask-error').textContent = 'Drag a rectangle on the image first.'; return; }
  const model = $('model').value;
  const ticket = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const form = new FormData();
  form.append('model', model);
  form.append('image', state.file, state.file.name);
  form.append('prompt', $('prompt').value);
  form.append('template', $('template').value);
  form.append('max_new_tokens', $('max-tokens').value);
  form.append('ticket', ticket);
  if (withEdit) {
    form.append('edit', $('edit-kind').value);
    form.append('edit_x', state.rect.x); form.append('edit_y', state.rect.y);
    form.append('edit_width', state.rect.w); form.append('edit_height', state.rect.h);
  }
  const done = { value: false };
  $('ask').disabled = $('ask-edited').disabled = true;
  pollQueue(model, ticket, done);
  try {
    const answer = await api('/api/ask', { method: 'POST', body: form });
    answer.imageElement = await loadImage(answer.image_url);
    state.sessions.push(answer);
    renderAnswers();
    await selectToken(answer, -1);
    setStatus(`answered in ${answer.server_ms.toFixed(0)} ms`);
  } catch (e) {
    $('ask-error').textContent = e.message;
  } finally {
    done.value = true;
    $('queue').textContent = '';
    $('ask').disabled = $('ask-edited').disabled = false;
  }
}

function renderAnswers() {
  const list = $('answers');
  list.replaceChildren();
  for (const s of state.sessions) {
    const card = el('div', 'answer' + (state.active === s ? ' active' : ''));
    card.dataset.session = s.session;
    const img = el('img');
    img.src = s.image_url; img.alt = 'asked image';
    card.appendChild(img);
    if (s.edit) card.appendChild(el('div', 'edit', `${s.edit.kind} at ${s.edit.x},${s.edit.y} ${s.edit.width}×${s.edit.height}`));
    card.appendChild(el('div', 'q', `${s.model}: ${s.prompt}`));
    const tokens = el('div', 'tokens');
    const whole = el('span', 'token whole' + (state.active === s && state.token === -1 ? ' selected' : ''), 'whole answer');
    whole.addEventListener('click', () => selectToken(s, -1));
    tokens.appendChild(whole);
    for (const t of s.answer_tokens) {
      const chip = el('span', 'token' + (state.active === s && state.token === t.index ? ' selected' : ''), t.token === '' ? '∅' : t.token);
      chip.title = `log p = ${t.log_prob.toFixed(3)}`;
      chip.dataset.index = t.index;
      chip.addEventListener('click', () => selectToken(s, t.index));
      tokens.appendChild(chip);
    }
    if (s.answer_tokens.length === 0) tokens.appendChild(el('span', 'hint', '(empty answer)'));
    card.appendChild(tokens);
    list.appendChild(card);
  }
}

// ---- inspecting ------------------------------------------------------------------------------------------------

async function selectToken(session, token) {
  const changedSession = state.active !== session;
  state.active = session; state.token = token;
  if (changedSession) {
    state.patches.clear();
    const layer = $('layer'), head = $('head');
    layer.replaceChildren(); head.replaceChildren();
    for (let l = 0; l < session.layers; l++) option(layer, l, `layer ${l}`);
    layer.value = session.layers - 1;
    option(head, -1, 'mean over heads');
    for (let h = 0; h < session.heads; h++) option(head, h, `head ${h}`);
    fitCanvas($('heatmap'), session.imageElement);
    $('explanations').replaceChildren();
    renderExplainerButtons(session);
    $('reverse').replaceChildren(el('p', 'hint', 'Tick "select patches" and click patches on the heatmap.'));
  }
  $('inspect').classList.remove('hidden');
  const label = token === -1 ? 'whole answer' : `token ${token} “${session.answer_tokens[token].token}”`;
  $('inspect-title').textContent = `${session.model} — ${label}`;
  renderAnswers();
  if (session.answer_tokens.length === 0) { $('text-bars').replaceChildren(el('p', 'hint', 'The answer is empty.')); return; }
  await Promise.all([refreshAttention(), refreshHeads(), refreshLens(), refreshReverse()]);
  for (const name of Object.keys(session.explained ?? {})) renderExplanation(session, name);
}

async function refreshAttention() {
  const s = state.active;
  if (!s || s.answer_tokens.length === 0) return;
  const a = await api(`/api/sessions/${s.session}/attention?layer=${$('layer').value}&head=${$('head').value}&token=${state.token}`);
  state.attention = a;
  drawAttention();
  bars($('text-bars'), a.text);
  $('image-mass').textContent = `attention mass on the image: ${a.image_mass.toFixed(3)}`;
  $('timing').textContent = `server ${a.server_ms.toFixed(2)} ms`;
  markHead();
}

function drawAttention() {
  if (!state.active || !state.attention) return;
  drawHeatmap($('heatmap'), state.active.imageElement, state.attention.image_map, $('opacity').value / 100, state.patches);
}

async function refreshHeads() {
  const s = state.active;
  const summary = await api(`/api/sessions/${s.session}/heads?token=${state.token}`);
  const table = el('table');
  const head = el('tr');
  head.appendChild(el('th', '', 'L\\H'));
  for (let h = 0; h < summary.heads; h++) head.appendChild(el('th', '', String(h)));
  table.appendChild(head);
  const max = Math.max(1e-12, ...summary.image_mass.flat());
  summary.image_mass.forEach((cells, l) => {
    const row = el('tr');
    row.appendChild(el('th', '', String(l)));
    cells.forEach((v, h) => {
      const td = el('td');
      const [R, G, B] = viridis(v / max);
      td.style.background = `rgb(${R},${G},${B})`;
      td.title = `layer ${l}, head ${h}: ${v.toFixed(3)}`;
      td.dataset.layer = l; td.dataset.head = h;
      td.addEventListener('click', () => { $('layer').value = l; $('head').value = h; refreshAttention(); refreshReverse(); });
      row.appendChild(td);
    });
    table.appendChild(row);
  });
  $('heads').replaceChildren(table);
  markHead();
}

function markHead() {
  for (const td of document.querySelectorAll('#heads td'))
    td.classList.toggle('current', td.dataset.layer === $('layer').value && td.dataset.head === $('head').value);
}

async function refreshLens() {
  const s = state.active;
  const container = $('lens');
  if (state.token < 0) { container.replaceChildren(el('p', 'hint', 'Click one answer token to see its logit lens.')); return; }
  const lens = await api(`/api/sessions/${s.session}/logit-lens?token=${state.token}&k=5`);
  const table = el('table', 'lens');
  const head = el('tr');
  for (const h of ['layer', 'top tokens', `rank of “${lens.answer_token}”`]) head.appendChild(el('th', '', h));
  table.appendChild(head);
  for (const r of lens.rows) {
    const row = el('tr');
    row.appendChild(el('td', '', r.label));
    const top = el('td');
    top.textContent = r.top.map((t) => `${t.token === '' ? '∅' : t.token} ${(100 * t.probability).toFixed(1)}%`).join(' · ');
    row.appendChild(top);
    row.appendChild(el('td', '', `${r.answer_token_rank} (${(100 * r.answer_token_probability).toFixed(1)}%)`));
    table.appendChild(row);
  }
  container.replaceChildren(table);
}

async function refreshReverse() {
  const s = state.active;
  if (!s || state.patches.size === 0) return;
  const r = await api(`/api/sessions/${s.session}/reverse?layer=${$('layer').value}&head=${$('head').value}&patches=${[...state.patches].join(',')}`);
  bars($('reverse'), r.tokens);
}

function setupHeatmapClicks() {
  $('heatmap').addEventListener('click', (e) => {
    const s = state.active;
    if (!s || !$('reverse-mode').checked) return;
    const p = canvasPoint($('heatmap'), e);
    const c = Math.floor(p.x / $('heatmap').width * s.patch_grid.width), r = Math.floor(p.y / $('heatmap').height * s.patch_grid.height);
    const index = r * s.patch_grid.width + c;
    if (state.patches.has(index)) state.patches.delete(index); else state.patches.add(index);
    drawAttention();
    if (state.patches.size) refreshReverse().catch(showInspectError);
    else $('reverse').replaceChildren(el('p', 'hint', 'No patch selected.'));
  });
}

function renderExplainerButtons(session) {
  const box = $('explainer-buttons');
  box.replaceChildren();
  for (const name of session.explainers) {
    const b = el('button', '', name);
    b.dataset.explainer = name;
    b.addEventListener('click', () => runExplainer(session, name, b));
    box.appendChild(b);
  }
}

async function runExplainer(session, name, button) {
  button.disabled = true;
  const ticket = Math.random().toString(36).slice(2);
  const done = { value: false };
  pollQueue(session.model, ticket, done);
  try {
    const result = await api(`/api/sessions/${session.session}/explain?explainer=${encodeURIComponent(name)}&ticket=${ticket}`, { method: 'POST' });
    session.explained = session.explained ?? {};
    session.explained[name] = result;
    renderExplanation(session, name);
  } catch (e) {
    showInspectError(e);
  } finally {
    done.value = true; $('queue').textContent = '';
    button.disabled = false;
  }
}

function renderExplanation(session, name) {
  if (state.active !== session) return;
  const result = session.explained[name];
  let box = document.querySelector(`.explanation[data-explainer="${name}"]`);
  if (!box) {
    box = el('div', 'explanation');
    box.dataset.explainer = name;
    $('explanations').appendChild(box);
  }
  box.replaceChildren();
  const token = state.token >= 0 ? result.tokens[state.token] : null;
  const cost = result.cost;
  box.appendChild(el('h4', '', name));
  box.appendChild(el('div', 'hint', `${token ? 'token “' + token.token + '”' : 'whole answer'} · cost ${cost.forwards} forwards, ${cost.backwards} backwards, ${cost.wall_ms.toFixed(0)} ms`));
  const map = token ? token.map : result.sequence_map;
  const canvas = el('canvas');
  fitCanvas(canvas, session.imageElement, 200);
  box.appendChild(canvas);
  // A map of only 0 and 1 is an explanation set (e.g. CLEANN's): outline its patches and highlight its words.
  const cells = map.flat();
  const inSet = new Set(cells.flatMap((v, i) => (v === 1 ? [i] : [])));
  const isSet = inSet.size > 0 && cells.every((v) => v === 0 || v === 1);
  drawHeatmap(canvas, session.imageElement, map, $('opacity').value / 100, isSet ? inSet : null);
  if (isSet) {
    const words = token && token.text_relevance ? token.text_relevance.filter((e) => e.value !== 0) : [];
    const caption = el('div', 'set');
    caption.appendChild(el('span', 'hint', `explanation set: ${inSet.size} patch${inSet.size === 1 ? '' : 'es'}${words.length ? ' and' : ''} `));
    for (const w of words) {
      const chip = el('span', 'token selected', w.token === '' ? '∅' : w.token);
      chip.title = `position ${w.position}`;
      caption.appendChild(chip);
    }
    box.appendChild(caption);
  } else if (token && token.text_relevance) {
    const text = el('div', 'bars');
    bars(text, token.text_relevance.slice(-12));
    box.appendChild(text);
  }
}

function showInspectError(e) { setStatus(`error: ${e.message}`); }

// ---- runs ------------------------------------------------------------------------------------------------------

async function loadRuns() {
  const runs = (await api('/api/runs')).runs;
  const select = $('run');
  select.replaceChildren();
  for (const r of runs) option(select, r.name);
  if (runs.length === 0) { $('runs-count').textContent = 'No runs served: start with --run RUN_DIR.'; return; }
  const wanted = new URLSearchParams(location.hash.slice(1)).get('run');
  if (wanted && runs.some((r) => r.name === wanted)) select.value = wanted;
  await listSamples(true);
}

function fillFilter(select, values, keep, allLabel = 'all') {
  const current = keep ? select.value : '';
  select.replaceChildren();
  option(select, '', allLabel);
  for (const v of values) option(select, v);
  if (values.includes(current)) select.value = current;
}

async function listSamples(resetFilters) {
  $('runs-error').textContent = '';
  const run = $('run').value;
  const info = (await api('/api/runs')).runs.find((r) => r.name === run);
  const link = $('report-link');
  link.classList.toggle('hidden', !info || !info.report_url);
  if (info && info.report_url) link.href = info.report_url;
  const params = new URLSearchParams();
  if (!resetFilters) {
    for (const [key, id] of [['model', 'f-model'], ['dataset', 'f-dataset'], ['correct', 'f-correct'], ['explainer', 'f-explainer'], ['metric', 'f-metric'], ['min', 'f-min'], ['max', 'f-max']])
      if ($(id).value !== '') params.set(key, $(id).value);
  }
  try {
    const list = await api(`/api/runs/${encodeURIComponent(run)}/samples?${params}`);
    fillFilter($('f-model'), list.options.models, !resetFilters);
    fillFilter($('f-dataset'), list.options.datasets, !resetFilters);
    fillFilter($('f-explainer'), list.options.explainers, !resetFilters);
    fillFilter($('f-metric'), list.options.metrics.filter((m) => m !== 'task_score'), !resetFilters, 'task score');
    $('runs-count').textContent = `${list.matched} of ${list.total} samples match${list.matched > list.samples.length ? ` (first ${list.samples.length} shown)` : ''}`;
    const body = $('samples').querySelector('tbody');
    body.replaceChildren();
    for (const s of list.samples) {
      const row = el('tr');
      row.dataset.index = s.index;
      for (const v of [s.index, s.model, s.dataset, s.sample_id, s.question, s.answer]) row.appendChild(el('td', '', String(v)));
      row.appendChild(el('td', s.correct ? 'ok' : 'bad', s.task_score.toFixed(2)));
      row.appendChild(el('td', '', s.score === null ? '' : Number(s.score).toFixed(3)));
      row.addEventListener('click', () => openSample(run, s.index, row));
      body.appendChild(row);
    }
  } catch (e) {
    $('runs-error').textContent = e.message;
  }
}

async function openSample(run, index, row) {
  for (const r of document.querySelectorAll('#samples tr.selected')) r.classList.remove('selected');
  if (row) row.classList.add('selected');
  const s = await api(`/api/runs/${encodeURIComponent(run)}/samples/${index}`);
  $('sample').classList.remove('hidden');
  $('sample-title').textContent = `${s.model} · ${s.dataset} · ${s.sample_id}`;
  const facts = $('sample-facts');
  facts.replaceChildren();
  for (const [k, v] of [['question', s.question], ['answer', s.answer], ['references', s.references], ['task score', s.task_score.toFixed(3)], ['image reliance', s.image_reliance === null ? '—' : s.image_reliance.toFixed(3)]]) {
    facts.append(el('dt', '', k), el('dd', '', v));
  }
  const body = $('sample-scores').querySelector('tbody');
  body.replaceChildren();
  for (const x of s.scores) {
    const tr = el('tr');
    for (const v of [x.explainer || '—', x.metric, x.token_index === -1 ? 'answer' : x.token_index, x.value === null ? 'NaN' : Number(x.value).toFixed(4)]) tr.appendChild(el('td', '', String(v)));
    body.appendChild(tr);
  }
  const select = $('sample-map');
  select.replaceChildren();
  option(select, '', 'image only');
  s.maps.forEach((m, i) => option(select, i, `${m.explainer} · ${m.token_index === -1 ? 'whole answer' : 'token ' + m.token_index + ' “' + m.token + '”'}`));
  if (s.maps.length) select.value = '0';
  state.sample = s;
  state.sampleImage = null;
  $('sample-image-error').textContent = '';
  try {
    state.sampleImage = await loadImage(s.image_url);
    fitCanvas($('sample-canvas'), state.sampleImage);
  } catch {
    $('sample-image-error').textContent = 'The sample image cannot be loaded (dataset moved?).';
  }
  drawSample();
}

function drawSample() {
  const s = state.sample;
  if (!s) return;
  const i = $('sample-map').value;
  const m = i === '' ? null : s.maps[Number(i)];
  const grid = m ? Array.from({ length: m.grid_height }, (_, r) => m.values.slice(r * m.grid_width, (r + 1) * m.grid_width)) : null;
  drawHeatmap($('sample-canvas'), state.sampleImage, grid, $('sample-opacity').value / 100);
}

// ---- start -----------------------------------------------------------------------------------------------------

function showTab(name) {
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.dataset.tab === name);
  $('panel-ask').classList.toggle('hidden', name !== 'ask');
  $('panel-runs').classList.toggle('hidden', name !== 'runs');
}

async function start() {
  state.info = await api('/api/models');
  for (const m of state.info.models) option($('model'), m.name, `${m.name} (${m.layers} layers × ${m.heads} heads)`);
  for (const t of state.info.templates) option($('template'), t);
  for (const k of state.info.edits) option($('edit-kind'), k);
  $('max-tokens').max = state.info.limits.max_new_tokens;
  for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => showTab(t.dataset.tab));
  $('image').addEventListener('change', async () => {
    state.file = $('image').files[0] ?? null;
    state.rect = null;
    if (!state.file) return;
    const url = URL.createObjectURL(state.file);
    try {
      state.sourceImage = await loadImage(url);
      fitCanvas($('source'), state.sourceImage);
      drawSource();
    } catch { $('ask-error').textContent = 'The browser cannot show this file; the server will check it.'; }
  });
  setupRectangle();
  setupHeatmapClicks();
  $('ask').addEventListener('click', () => ask(false));
  $('ask-edited').addEventListener('click', () => ask(true));
  $('prompt').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); ask(false); } });
  $('layer').addEventListener('change', () => { refreshAttention().catch(showInspectError); refreshReverse().catch(showInspectError); });
  $('head').addEventListener('change', () => { refreshAttention().catch(showInspectError); refreshReverse().catch(showInspectError); });
  $('opacity').addEventListener('input', () => {
    drawAttention();
    if (state.active) for (const name of Object.keys(state.active.explained ?? {})) renderExplanation(state.active, name);
  });
  $('run').addEventListener('change', () => listSamples(true));
  $('apply-filters').addEventListener('click', () => listSamples(false));
  $('sample-map').addEventListener('change', drawSample);
  $('sample-opacity').addEventListener('input', drawSample);
  setStatus(`${state.info.models.length} model(s), ${state.info.explainers.length} explainers, ${state.info.runs.length} run(s)`);
  if (state.info.runs.length) await loadRuns();
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('tab') === 'runs' || hash.has('run')) showTab('runs');
}

start().catch((e) => setStatus(`error: ${e.message}`));
