// The dashboard page: plain JavaScript, no libraries. The server does the work; this file asks,
// then shows answers. Text from the server is always set with textContent, never parsed as HTML.
'use strict';

const MAX_POINTS = 120;
const samples = [];
const $ = (id) => document.getElementById(id);
const number = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// Calls the API; resolves with the JSON body, or rejects with the server's error message.
async function api(path, form) {
  const options = form ? { method: 'POST', body: new URLSearchParams(form) } : {};
  let response;
  try {
    response = await fetch('api/' + path, options);
  } catch (e) {
    throw new Error('The dashboard server cannot be reached (' + e.message + ').');
  }
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON: reported below */ }
  if (!response.ok) {
    throw new Error(body && body.error ? body.error : 'The server answered HTTP ' + response.status + '.');
  }
  return body;
}

function showError(id, message) {
  const node = $(id);
  node.textContent = message || '';
  node.hidden = !message;
}

// ---- info ------------------------------------------------------------------------------------

async function loadInfo() {
  try {
    const info = await api('info');
    $('info').textContent = 'Java ' + info.javaVersion + ' · ' + info.availableProcessors + ' CPUs · '
      + (info.virtualThread ? 'this request ran on a virtual thread' : 'this request ran on a platform thread')
      + ' · listening on ' + info.localAddress;
  } catch (e) {
    $('info').textContent = e.message;
  }
}

// ---- scenarios --------------------------------------------------------------------------------

async function loadScenarios() {
  const list = $('scenario-list');
  let scenarios;
  try {
    scenarios = await api('scenarios');
  } catch (e) {
    showError('scenario-error', e.message);
    return;
  }
  list.replaceChildren();
  for (const s of scenarios) {
    const controls = element('div', { class: 'controls' },
      element('label', { text: 'N ' }, element('input', {
        id: 'requests-' + s.id, name: 'requests', value: String(s.defaultRequests),
        inputmode: 'numeric', autocomplete: 'off', 'aria-label': 'requests for ' + s.title })));
    if (s.defaultKeys !== undefined) {
      controls.append(element('label', { text: 'keys ' }, element('input', {
        id: 'keys-' + s.id, name: 'keys', value: String(s.defaultKeys),
        inputmode: 'numeric', autocomplete: 'off', 'aria-label': 'keys for ' + s.title })));
    }
    const button = element('button', { type: 'button', id: 'run-' + s.id, class: 'run', text: 'Run' });
    button.addEventListener('click', () => runScenario(s));
    controls.append(button);
    list.append(element('div', { class: 'scenario', id: 'scenario-' + s.id },
      element('h3', { text: s.title }), controls, element('p', { class: 'muted', text: s.description })));
  }
}

async function runScenario(scenario) {
  const form = { requests: $('requests-' + scenario.id).value };
  if ($('keys-' + scenario.id)) form.keys = $('keys-' + scenario.id).value;
  const buttons = document.querySelectorAll('button.run');
  buttons.forEach((b) => { b.disabled = true; });
  const button = $('run-' + scenario.id);
  button.textContent = 'Running…';
  showError('scenario-error', '');
  try {
    showResult(await api('scenarios/' + scenario.id, form));
    refreshTiers();
  } catch (e) {
    showError('scenario-error', e.message);
  } finally {
    button.textContent = 'Run';
    buttons.forEach((b) => { b.disabled = false; });
  }
}

const STAT_ROWS = [
  ['hits', 'hits'], ['misses', 'misses'], ['hitRate', 'hit rate'], ['loads', 'loads'],
  ['coalesced', 'coalesced waiters'], ['batches', 'batch calls'], ['batchedKeys', 'batched keys'],
  ['evictions', 'evictions'], ['puts', 'stores'], ['size', 'entries (L1)'],
];

// The change column is the server's after - before; a rate gets a sign so that it cannot be read
// as a rate itself.
function change(key, value) {
  if (key === 'hitRate') return (value > 0 ? '+' : '') + stat(key, value);
  return number(value);
}

// Rates are shown with all four decimals the server rounds them to, so that the change column is
// exactly the difference of the two columns beside it.
function stat(key, value) {
  return key === 'hitRate' && typeof value === 'number'
    ? value.toLocaleString('en-US', { maximumFractionDigits: 4 }) : number(value);
}

function showResult(r) {
  $('result').hidden = false;
  $('result-title').textContent = 'Result: ' + r.title + ' (run ' + r.run + ')';
  $('result-loader-calls').textContent = number(r.headline.calls);
  $('result-loader-label').textContent = r.headline.label;
  $('result-requests').textContent = number(r.headline.of);
  $('result-unit').textContent = r.headline.unit;
  $('result-summary').textContent = r.summary;
  const calls = r.headline.calls;
  const facts = [
    ['elapsed', number(r.elapsedMillis) + ' ms'
      + (r.waves > 1 ? ' (' + r.waves + ' waves, one after another)' : '')],
    ['time inside loader calls, summed', number(r.loaderMillis) + ' ms over ' + number(calls)
      + (calls === 1 ? ' call' : ' calls')],
    ['batch loader calls', number(r.batchCalls) + (r.batchCalls ? ' (' + number(r.batchedKeys) + ' keys)' : '')],
  ];
  if (r.latency.count > 0) {
    facts.splice(1, 0, ['latency p50 / p95 / p99 / max',
      [r.latency.p50, r.latency.p95, r.latency.p99, r.latency.max].map(number).join(' / ') + ' ms']);
  }
  if (r.runHitRate !== undefined) facts.push(['hit rate of this run\'s reads', stat('hitRate', r.runHitRate)]);
  if (r.distinctValues !== undefined) facts.push(['distinct values received', number(r.distinctValues)]);
  facts.push([r.unit === 'keys' ? 'failed keys' : 'failed requests',
    number(r.failures) + (r.firstFailure ? ': ' + r.firstFailure : '')]);
  if (r.warmup) {
    facts.push(['warmup', r.warmup.loaded + ' loaded, ' + r.warmup.skipped + ' skipped (present), '
      + r.warmup.failed + ' failed']);
  }
  $('result-facts').replaceChildren(...facts.flatMap(([k, v]) => [element('dt', { text: k }), element('dd', { text: v })]));
  const rows = STAT_ROWS.map(([key, label]) => element('tr', {},
    element('td', { text: label }), element('td', { text: stat(key, r.before[key]) }),
    element('td', { text: stat(key, r.after[key]) }), element('td', { text: change(key, r.delta[key]) })));
  $('result-stats').tBodies[0].replaceChildren(...rows);
}

// ---- configuration ----------------------------------------------------------------------------

const CONFIG_FIELDS = ['maximumSize', 'ttlSeconds', 'batchWindowMillis', 'maxBatchSize'];

function showConfig(config) {
  for (const field of CONFIG_FIELDS) $('config-' + field).value = String(config[field]);
}

function describeConfig(c) {
  return 'maximum size ' + number(c.maximumSize) + ', TTL '
    + (c.ttlSeconds === 0 ? 'never' : number(c.ttlSeconds) + ' s') + ', batch window '
    + c.batchWindowMillis + ' ms, batch size ' + number(c.maxBatchSize);
}

async function loadConfig() {
  try {
    const config = await api('config');
    showConfig(config);
    $('config-status').textContent = 'In use: ' + describeConfig(config) + '.';
  } catch (e) {
    showError('config-error', e.message);
  }
}

async function applyConfig(event) {
  event.preventDefault();
  const form = {};
  for (const field of CONFIG_FIELDS) form[field] = $('config-' + field).value;
  showError('config-error', '');
  $('config-apply').disabled = true;
  try {
    const config = await api('config', form);
    showConfig(config);
    $('config-status').textContent = 'Rebuilt at ' + new Date().toLocaleTimeString() + ': '
      + describeConfig(config) + '.';
    refreshTiers();
  } catch (e) {
    showError('config-error', e.message);
  } finally {
    $('config-apply').disabled = false;
  }
}

// ---- live charts ------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Draws one or more series (null values leave gaps) on an SVG whose viewBox is 400 x 110.
function drawChart(id, series, fixedMax, unit) {
  const chart = $(id);
  const width = 400, left = 40, top = 8, bottom = 100;
  let max = fixedMax;
  if (!max) {
    max = 0;
    for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
    max = max <= 0 ? 1 : niceCeiling(max);
  }
  const nodes = [];
  for (const fraction of [0, 0.5, 1]) {
    const y = bottom - fraction * (bottom - top);
    nodes.push(svg('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid' }));
    const label = svg('text', { x: left - 4, y: y + 3, 'text-anchor': 'end' });
    label.textContent = formatAxis(max * fraction) + (fraction === 1 ? unit : '');
    nodes.push(label);
  }
  const step = (width - left) / (MAX_POINTS - 1);
  for (const s of series) {
    let points = [];
    const flush = () => {
      if (points.length === 1) points.push(points[0]);
      if (points.length) nodes.push(svg('polyline', { points: points.join(' '), stroke: s.color }));
      points = [];
    };
    const offset = MAX_POINTS - s.values.length;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { flush(); return; }
      const x = left + (offset + i) * step;
      const y = bottom - Math.min(v / max, 1) * (bottom - top);
      points.push(x.toFixed(1) + ',' + y.toFixed(1));
      // A dot on every sample that saw activity, so that a single busy interval still shows.
      if (v > 0 || s.dots) nodes.push(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 2, fill: s.color }));
    });
    flush();
  }
  chart.replaceChildren(...nodes);
}

function niceCeiling(v) {
  const magnitude = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

function formatAxis(v) {
  return v >= 1000 ? (v / 1000).toFixed(v % 1000 === 0 ? 0 : 1) + 'k' : String(Math.round(v * 100) / 100);
}

function redraw() {
  const pick = (key) => samples.map((s) => (s[key] === undefined ? null : s[key]));
  drawChart('chart-hit-rate', [{ color: '#1f8a4c', dots: true, values: pick('hitRate').map((v) => (v === null ? null : v * 100)) }], 100, '%');
  drawChart('chart-loads', [{ color: '#2f6fdf', values: pick('loads') }], 0, '');
  drawChart('chart-coalesced', [{ color: '#8e44ad', values: pick('coalesced') }], 0, '');
  drawChart('chart-latency', [
    { color: '#2f6fdf', values: pick('p50') }, { color: '#e08a00', values: pick('p95') },
    { color: '#c0392b', values: pick('p99') }], 0, '');
  const last = samples[samples.length - 1];
  if (!last) return;
  $('now-hit-rate').textContent = last.hitRate === null ? 'idle' : (last.hitRate * 100).toFixed(1) + '%';
  $('now-loads').textContent = number(last.loads);
  $('now-coalesced').textContent = number(last.coalesced);
  $('now-latency').textContent = last.p99 === null ? 'idle' : 'p99 ' + last.p99 + ' ms';
}

function connectLive() {
  const status = $('live-status');
  const source = new EventSource('api/events');
  source.addEventListener('open', () => { status.textContent = 'live'; status.className = 'pill live'; });
  source.addEventListener('error', () => { status.textContent = 'reconnecting'; status.className = 'pill'; });
  source.addEventListener('sample', (event) => {
    samples.push(JSON.parse(event.data));
    while (samples.length > MAX_POINTS) samples.shift();
    redraw();
  });
  redraw();
}

// ---- panels -------------------------------------------------------------------------------------

function unavailable(container, status) {
  container.className = 'muted';
  container.replaceChildren(element('p', { text: status.message }));
}

async function refreshTiers() {
  const container = $('tiers-panel');
  let status;
  try {
    status = await api('panels/tiers');
  } catch (e) {
    container.replaceChildren(element('p', { class: 'error', text: e.message }));
    return;
  }
  if (!status.available) { unavailable(container, status); return; }
  container.className = '';
  const columns = ['tier', 'state', 'entries', 'hits', 'misses', 'errors', 'writes'];
  const head = element('tr', {}, ...columns.map((h) => element('th', { text: h })));
  // Each cell carries its column's name, shown beside the value when a narrow screen stacks a
  // row's cells (see .stack in app.css).
  const row = (attributes, ...cells) => element('tr', attributes, ...cells.map((cell, i) => {
    cell.setAttribute('data-label', columns[i]);
    return cell;
  }));
  const name = (tier, detail) => element('td', { class: 'tier-name' }, element('b', { text: tier }),
    ...(detail ? [element('span', { class: 'tier-detail', text: detail })] : []));
  const rows = [row({},
    name(status.l1.tier), element('td', { text: 'in process' }),
    element('td', { text: number(status.l1.size) + ' / ' + number(status.l1.maximumSize) }),
    element('td', { text: number(status.l1.hits) }), element('td', { text: number(status.l1.misses) }),
    element('td', { text: '' }), element('td', { text: '' }))];
  const count = (n) => (n === undefined ? '' : number(n));
  for (const t of status.tiers) {
    const state = t.state === undefined ? '' : String(t.state);
    const good = state === 'up' || state === 'open';
    rows.push(row({ 'data-tier': t.tier },
      name(t.tier, t.detail),
      element('td', { class: good ? 'state-up' : (state ? 'state-down' : ''),
        text: state + (t.error ? ': ' + t.error : '') }),
      element('td', { text: count(t.entries) }),
      element('td', { text: count(t.hits) }), element('td', { text: count(t.misses) }),
      element('td', { text: count(t.errors) }), element('td', { text: count(t.writes) })));
  }
  const parts = [element('p', { class: 'muted', text: status.summary }),
    element('table', { id: 'tiers-table', class: 'stack' }, element('thead', {}, head),
      element('tbody', {}, ...rows))];
  if (status.error) parts.push(element('p', { class: 'error', text: status.error }));
  container.replaceChildren(...parts);
}

// The action panels (agent, langchain4j) render what the server describes: their actions as
// buttons, their statistics as chips, a per-tool table when the panel has one, and their events
// as a log, so the page needs no change when a panel adds more. Every element id starts with the
// panel's id ('agent-shopping', 'langchain4j-tools'). The buttons are built once (refreshing them
// would swap them under the user's pointer); the rest follows every refresh.
const actionsShown = {};
const TOOL_COLUMNS = [['tool', 'tool'], ['calls', 'calls'], ['hits', 'hits'], ['misses', 'misses'],
  ['invalidations', 'invali\u00addations'], ['loopDetections', 'loops'],
  ['shortCircuits', 'short-circuits'], ['raised', 'raised'], ['shopCalls', 'shop calls']];

function toolsTable(panel, tools) {
  const head = element('tr', {}, ...TOOL_COLUMNS.map(([, label]) => element('th', { text: label })));
  const rows = tools.map((t) => element('tr', { 'data-tool': t.tool }, ...TOOL_COLUMNS.map(([key, label]) => {
    const cell = key === 'tool'
      ? element('td', { class: 'tier-name' }, element('b', { text: t.tool }),
        element('span', { class: 'tier-detail', text: t.policy || '' }))
      : element('td', { text: number(t[key]) });
    cell.setAttribute('data-label', label);
    return cell;
  })));
  return element('table', { id: panel + '-tools', class: 'stack' }, element('thead', {}, head),
    element('tbody', {}, ...rows));
}

// Side-by-side tables (the freshness panel): a title, column headings, then one row per measure.
function comparisonTables(panel, tables) {
  return tables.map((t) => {
    const head = element('tr', {}, ...t.columns.map((c) => element('th', { text: c })));
    const rows = t.rows.map((r) => element('tr', {}, ...r.map((cell, i) => {
      const td = element('td', { text: i === 0 ? String(cell) : number(cell) });
      td.setAttribute('data-label', t.columns[i] || 'measure');
      return td;
    })));
    return element('div', { class: 'comparison' }, element('h3', { text: t.title }),
      element('table', { id: panel + '-table-' + t.id, class: 'stack' }, element('thead', {}, head),
        element('tbody', {}, ...rows)));
  });
}

async function refreshActionPanel(panel) {
  const container = $(panel + '-panel');
  let status;
  try {
    status = await api('panels/' + panel);
  } catch (e) {
    showError(panel + '-error', e.message);
    return;
  }
  if (!status.available) { actionsShown[panel] = ''; unavailable(container, status); return; }
  if (!$(panel + '-actions')) {
    container.className = '';
    container.replaceChildren(element('p', { id: panel + '-summary', class: 'muted' }),
      element('p', { id: panel + '-actions', class: 'actions' }),
      element('p', { id: panel + '-stats', class: 'chips' }),
      element('div', { id: panel + '-table' }),
      element('ol', { id: panel + '-events', class: 'events' }));
  }
  $(panel + '-summary').textContent = status.summary || '';
  const actions = JSON.stringify(status.actions || []);
  if (actions !== actionsShown[panel]) {
    actionsShown[panel] = actions;
    $(panel + '-actions').replaceChildren(...(status.actions || []).flatMap((action) => {
      const button = element('button', { type: 'button', id: panel + '-' + action.id, text: action.label });
      button.addEventListener('click', () => runPanelAction(panel, action));
      return [button, ' '];
    }));
  }
  $(panel + '-stats').replaceChildren(...Object.entries(status.stats || {}).map(([k, v]) =>
    element('span', { class: 'chip' }, k + ' ', element('b', { text: number(v) }))));
  $(panel + '-table').replaceChildren(...(status.tools ? [toolsTable(panel, status.tools)] : []),
    ...(status.tables ? comparisonTables(panel, status.tables) : []));
  const events = $(panel + '-events');
  events.replaceChildren(...(status.events || []).map((e) =>
    element('li', { class: 'event-' + e.kind, text: e.time + ' [' + e.kind + '] ' + e.text })));
  events.scrollTop = events.scrollHeight;
}

async function runPanelAction(panel, action) {
  const buttons = document.querySelectorAll('#' + panel + '-actions button');
  buttons.forEach((b) => { b.disabled = true; });
  showError(panel + '-error', '');
  try {
    await api('panels/' + panel + '/' + action.id, {});
  } catch (e) {
    showError(panel + '-error', e.message);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
  refreshActionPanel(panel);
}

const refreshAgent = () => refreshActionPanel('agent');
const refreshLangChain4j = () => refreshActionPanel('langchain4j');
const refreshFreshness = () => refreshActionPanel('freshness');

// ---- start --------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('config-form').addEventListener('submit', applyConfig);
  loadInfo();
  loadConfig();
  loadScenarios();
  refreshTiers();
  refreshAgent();
  refreshLangChain4j();
  refreshFreshness();
  connectLive();
  setInterval(refreshTiers, 3000);
  setInterval(refreshAgent, 3000);
  setInterval(refreshLangChain4j, 3000);
  setInterval(refreshFreshness, 3000);
});
