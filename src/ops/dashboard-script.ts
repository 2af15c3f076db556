/** The dashboard's script, inlined into the page: plain browser JavaScript, no build step. */
export const dashboardScript = String.raw`
'use strict';
// Polling, not a stream: EventSource cannot send an Authorization header (the token would have to ride in
// the URL, and so into access logs), and a stream held open on the edge keeps a Worker running while the
// Durable Objects it reads could hibernate. A poll is one small authenticated GET, the same on both runtimes.
const pollMs = 300;
const windowMs = 60000;
const tokenKey = 'pushport-token';
const gauges = ['connections', 'identified', 'uids'];
const counters = ['pushes', 'delivered', 'failed', 'queued', 'broadcasts'];
const series = [['pushes', '--push'], ['delivered', '--delivered'], ['failed', '--failed']];
const $ = (selector) => document.querySelector(selector);
let token = '';
let timer;
let samples = [];

function takeTokenFromUrl() {
  const found = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (!found) return;
  sessionStorage.setItem(tokenKey, decodeURIComponent(found[1]));
  // Out of the address bar, so a screenshot or a shared link does not carry it.
  history.replaceState(null, '', location.pathname + location.search);
}

function setState(text, isError) {
  $('#state').textContent = text;
  $('#state').classList.toggle('error', Boolean(isError));
}

async function api(method, path, body) {
  const res = await fetch(path, { method, body, cache: 'no-store', headers: { authorization: 'Bearer ' + token } });
  let json = null;
  try { json = await res.json(); } catch { json = null; }
  if (res.status === 401) {
    signOut('That token was refused. Enter the publisher token (PUSH_TOKEN).');
    throw new Error('the publisher token was refused');
  }
  if (!res.ok) throw new Error((json && json.error) || 'HTTP ' + res.status);
  return json;
}

const fmt = (n) => Number(n).toLocaleString('en-US');
const fmtRate = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1)) + '/s';

// A counter that went down means a process restarted or a shard was evicted: rates start again.
function record(report) {
  const now = performance.now();
  const last = samples[samples.length - 1];
  if (last && counters.some((k) => report.total[k] < last.total[k])) samples = [];
  const parts = {};
  for (const part of report.parts) parts[part.id] = part.pushes;
  samples.push({ t: now, total: report.total, parts });
  while (samples.length > 2 && now - samples[0].t > windowMs) samples.shift();
}

function rateOver(pick) {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || last === first) return 0;
  return Math.max(0, (pick(last) - pick(first)) / ((last.t - first.t) / 1000));
}

function showTotals(total) {
  for (const k of gauges.concat(counters)) {
    const el = $('[data-metric="' + k + '"]');
    el.textContent = fmt(total[k]);
    el.dataset.value = String(total[k]);
  }
  for (const k of counters) $('[data-metric="' + k + '-rate"]').textContent = fmtRate(rateOver((s) => s.total[k]));
}

// Shown where the runtime has groups: groups with members, and group pushes served.
function showGroups(groups) {
  $('#groups').hidden = !groups;
  if (!groups) return;
  $('[data-metric="groups"]').textContent = fmt(groups.groups);
  $('[data-metric="group-pushes"]').textContent = fmt(groups.pushes);
}

function showParts(report) {
  $('#parts-title').textContent = report.unit === 'shard' ? 'Per shard' : 'Per process';
  $('#parts-unit').textContent = report.unit;
  const rows = report.parts.map((part) => {
    const tr = document.createElement('tr');
    tr.dataset.part = String(part.id);
    const cells = [[report.unit + ' ' + part.id, 'name']].concat(gauges.concat(counters).map((k) => [fmt(part[k]), k]));
    cells.push([fmtRate(rateOver((s) => s.parts[part.id] || 0)), 'pushes-rate']);
    for (const [text, name] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      td.dataset.partMetric = name;
      tr.append(td);
    }
    return tr;
  });
  $('#parts tbody').replaceChildren(...rows);
}

async function poll() {
  timer = undefined;
  // A tab nobody looks at asks nothing of the server (on the edge, every poll reads every shard).
  if (document.hidden) {
    timer = setTimeout(poll, pollMs);
    return;
  }
  try {
    const report = await api('GET', '/stats/parts');
    record(report);
    showTotals(report.total);
    showParts(report);
    showGroups(report.groups);
    drawChart();
    const units = report.parts.length === 1 ? report.unit : report.unit === 'shard' ? 'shards' : 'processes';
    setState('live · ' + report.parts.length + ' ' + units + ' · ' + new Date().toLocaleTimeString('en-GB'));
  } catch (error) {
    if (!token) return;
    setState('cannot read the figures: ' + error.message, true);
  }
  if (token && timer === undefined) timer = setTimeout(poll, pollMs);
}

function start() {
  token = sessionStorage.getItem(tokenKey) || '';
  $('#login').hidden = Boolean(token);
  $('#board').hidden = !token;
  $('#sign-out').hidden = !token;
  if (token) void poll();
  else $('#token-input').focus();
}

function signOut(why) {
  sessionStorage.removeItem(tokenKey);
  token = '';
  clearTimeout(timer);
  timer = undefined;
  samples = [];
  $('#login-why').textContent = why || '';
  setState(why ? 'signed out' : '', Boolean(why));
  start();
}

// Each action shows the server's own answer, or its error, in the form's output.
function action(form, run) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const out = form.querySelector('output');
    run(new FormData(form), event.submitter)
      .then((text) => { out.textContent = text; })
      .catch((error) => { out.textContent = 'error: ' + error.message; });
  });
}

const uidPath = (data) => '/online/' + encodeURIComponent(String(data.get('uid')));

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('#token-input').value.trim();
  if (!value) return;
  sessionStorage.setItem(tokenKey, value);
  $('#token-input').value = '';
  $('#login-why').textContent = '';
  start();
});
$('#sign-out').addEventListener('click', () => signOut(''));
action($('#push-form'), async (data) => {
  const reply = await api('POST', '/push', JSON.stringify({ uid: String(data.get('uid')), message: String(data.get('message')) }));
  return (reply.ok ? 'ok' : 'fail') + ' · delivered to ' + reply.delivered + ' connection' + (reply.delivered === 1 ? '' : 's');
});
action($('#uid-form'), async (data, submitter) => {
  if (submitter && submitter.value === 'kick') {
    const reply = await api('DELETE', uidPath(data));
    return 'kicked ' + reply.uid + ': closed ' + reply.closed + ' connection' + (reply.closed === 1 ? '' : 's');
  }
  const reply = await api('GET', uidPath(data));
  return reply.uid + ': ' + (reply.online ? 'online, ' + reply.connections + ' connection' + (reply.connections === 1 ? '' : 's') : 'offline');
});
window.addEventListener('resize', drawChart);
takeTokenFromUrl();
start();
`;
