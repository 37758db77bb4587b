// Opens an HTML report in headless Chromium over the DevTools protocol (pipe transport) and reports what a reader's
// browser sees: console errors, uncaught exceptions, network requests, the leaderboard and accuracy tables as
// rendered, image decode results and the SVG count; saves a screenshot.
//   node report_browser.mjs REPORT.html SCREENSHOT.png [WIDTH] [MAX_HEIGHT]  -> JSON on stdout
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, screenshot, widthArg, maxHeightArg] = process.argv.slice(2);
const width = Number(widthArg ?? 1280), maxHeight = Number(maxHeightArg ?? 4000);
const chromium = process.env.LVLM_EVAL_CHROMIUM || 'chromium';
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lvlmeval-browser-'));
const child = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', '--no-first-run',
  `--user-data-dir=${profile}`, `--window-size=${width},900`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', d => { stderr += d; });
const toBrowser = child.stdio[3], fromBrowser = child.stdio[4];

let nextId = 1, buffer = '';
const pending = new Map(), listeners = [];
fromBrowser.on('data', chunk => {
  buffer += chunk.toString('utf8');
  let end;
  while ((end = buffer.indexOf('\0')) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    } else listeners.forEach(l => l(message));
  }
});
function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
const timeout = setTimeout(() => { console.error('timed out; chromium stderr:\n' + stderr); child.kill('SIGKILL'); process.exit(3); }, 120000);

const problems = [], requests = [];
const { targetInfos } = await send('Target.getTargets');
const page = targetInfos.find(t => t.type === 'page');
const { sessionId } = await send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
let loaded;
const loadedPromise = new Promise(r => { loaded = r; });
listeners.push(m => {
  if (m.sessionId !== sessionId) return;
  if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'assert'))
    problems.push('console.' + m.params.type + ': ' + m.params.args.map(a => a.value ?? a.description).join(' '));
  if (m.method === 'Runtime.exceptionThrown') problems.push('exception: ' + (m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text));
  if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error') problems.push('log: ' + m.params.entry.text);
  if (m.method === 'Network.requestWillBeSent') requests.push(m.params.request.url.slice(0, 60));
  if (m.method === 'Page.loadEventFired') loaded();
});
for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await send(`${domain}.enable`, {}, sessionId);
await send('Page.navigate', { url: pathToFileURL(path.resolve(report)).href }, sessionId);
await loadedPromise;

const expression = `(() => {
  const rows = [];
  document.querySelectorAll('table.leaderboard').forEach(t => t.querySelectorAll('tbody tr').forEach(tr => tr.querySelectorAll('td[data-metric]').forEach(td =>
    rows.push({ model: t.dataset.model, dataset: t.dataset.dataset, explainer: tr.dataset.explainer, metric: td.dataset.metric,
      mean: Number(td.dataset.mean), n: Number(td.dataset.n), best: td.classList.contains('best'), text: td.querySelector('.mean').textContent }))));
  const bounds = [];
  document.querySelectorAll('table.leaderboard').forEach(t => t.querySelectorAll('thead .bounds').forEach(b =>
    bounds.push({ model: t.dataset.model, dataset: t.dataset.dataset, metric: b.dataset.metric, chance: Number(b.dataset.chance), ceiling: Number(b.dataset.ceiling) })));
  const accuracy = [...document.querySelectorAll('table.accuracy tbody tr')].map(tr => ({ model: tr.dataset.model, dataset: tr.dataset.dataset, mean: Number(tr.dataset.mean) }));
  const images = [...document.images].map(i => ({ ok: i.complete && i.naturalWidth > 0, width: i.naturalWidth, external: !i.src.startsWith('data:') }));
  return { title: document.title, rows, bounds, accuracy, images, svgs: document.querySelectorAll('svg').length,
    noData: document.querySelectorAll('figure.no-data').length, missingImages: document.querySelectorAll('.missing-image').length,
    sections: [...document.querySelectorAll('section')].map(s => s.id), height: document.documentElement.scrollHeight };
})()`;
const { result } = await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
const dom = result.value;
const height = Math.min(dom.height, maxHeight);
await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
const shot = await send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width, height, scale: 1 } }, sessionId);
fs.writeFileSync(screenshot, Buffer.from(shot.data, 'base64'));
const exited = new Promise(r => child.on('exit', r));
await send('Browser.close').catch(() => {});
await exited;
clearTimeout(timeout);
fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
console.log(JSON.stringify({ problems, requests, ...dom, screenshot: { width, height } }));
