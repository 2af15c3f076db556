/** The first page's script, inlined as a module: plain browser JavaScript over pushport/client, no build step. */
export const homeScript = String.raw`
import { PushportSocket } from '/pushport-client.js';

const $ = (selector) => document.querySelector(selector);
const where = JSON.parse($('#where').textContent);
const httpOrigin = location.origin;
const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';
const maxShown = 100;
let socket;

// Quoted for a POSIX shell: inside single quotes only a single quote needs care.
const shellQuoted = (text) => "'" + text.replaceAll("'", "'\\''") + "'";
// A PHP single-quoted string: only a backslash and a single quote are escaped.
const phpQuoted = (text) => "'" + text.replace(/[\\']/g, '\\$&') + "'";

// A wildcard bind address is reached at the name this page was loaded from.
function textHost(host) {
  const name = ['0.0.0.0', '::', ''].includes(host) ? location.hostname.replace(/^\[|\]$/g, '') : host;
  return name.includes(':') ? '[' + name + ']' : name;
}

function curlLine(uid) {
  const body = JSON.stringify({ uid, text: 'hello from curl' });
  return 'curl -X POST ' + httpOrigin + '/push -H "Authorization: Bearer $PUSH_TOKEN" -d ' + shellQuoted(body);
}

function phpLines(uid) {
  const push = "json_encode(['uid' => " + phpQuoted(uid) + ", 'text' => 'hello from PHP'])";
  const text = where.textPort;
  if (!text) {
    return [
      "$context = stream_context_create(['http' => ['method' => 'POST',",
      "    'header' => 'Authorization: Bearer ' . getenv('PUSH_TOKEN'), 'content' => " + push + "]]);",
      "echo file_get_contents('" + httpOrigin + "/push', false, $context);   // {\"ok\":true,\"delivered\":1}",
    ];
  }
  return [
    "$client = stream_socket_client('tcp://" + textHost(text.host) + ':' + text.port + "', $errno, $errmsg, 1);",
    ...(text.token ? ["fwrite($client, getenv('PUSH_TOKEN') . \"\\n\"); fgets($client);   // the text port wants the token first"] : []),
    'fwrite($client, ' + push + ' . "\\n");',
    'echo fread($client, 8192);   // "ok\\n" (delivered) or "fail\\n" (nobody online with this uid)',
  ];
}

function showLines() {
  const uid = $('#uid').value;
  $('#curl-line').textContent = curlLine(uid);
  $('#php-label').textContent = where.textPort
    ? 'With PHP, over the text push port, as the Workerman example does:'
    : 'With PHP, over the HTTP API (this server has no text port):';
  $('#php-line').textContent = phpLines(uid).join('\n');
}

function setState(text, isError) {
  $('#state').textContent = text;
  $('#state').classList.toggle('error', Boolean(isError));
}

function show(data, seq) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString('en-GB');
  const message = document.createElement('code');
  message.textContent = data;
  item.append(time, message);
  if (seq > 0) {
    const tag = document.createElement('span');
    tag.className = 'seq';
    tag.textContent = 'seq ' + seq;
    item.append(tag);
  }
  $('#pushes').prepend(item);
  while ($('#pushes').children.length > maxShown) $('#pushes').lastElementChild.remove();
  $('#empty').hidden = true;
}

function connect(uid) {
  if (socket) socket.close();
  const mine = new PushportSocket({ url: wsUrl, uid });
  socket = mine;
  $('#disconnect').disabled = false;
  mine.on('state', (state) => {
    if (state === 'connecting') setState('connecting as ' + uid + '…');
    if (state === 'open') setState('connected as ' + uid);
  });
  mine.on('close', (info) => {
    if (socket !== mine) return;
    const why = info.reason ? ': ' + info.reason : '';
    if (info.willRetry) setState('link lost' + why + '; reconnecting in ' + (info.retryInMs / 1000).toFixed(1) + ' s', true);
    else setState('closed' + why, info.code !== 1000);
  });
  mine.on('message', (data, seq) => show(data, seq));
}

$('#signed').hidden = !where.signed;
$('#uid').addEventListener('input', showLines);
$('#connect').addEventListener('submit', (event) => {
  event.preventDefault();
  const uid = $('#uid').value.trim();
  if (!uid) return;
  $('#uid').value = uid;
  showLines();
  connect(uid);
});
$('#disconnect').addEventListener('click', () => {
  if (socket) socket.close();
  socket = undefined;
  $('#disconnect').disabled = true;
  setState('not connected');
});
showLines();
`;
