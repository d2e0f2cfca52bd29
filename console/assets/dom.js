// Small helpers every page uses: building elements, calling the JSON API,
// live views over a WebSocket, and formatting numbers and times.
import { t, language } from './i18n.js';

// h('td', {class: 'num', 'data-test': 'lag'}, 5)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export async function api(method, path, body) {
  const options = { method, headers: {} };
  // Every change is sent as JSON, {} when there is nothing to say: the
  // console refuses changes that do not say so (see server.cpp).
  if (body === undefined && method !== 'GET' && method !== 'DELETE') body = {};
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({ error: 'HTTP_' + response.status, message: response.statusText }));
    return { ok: response.ok, status: response.status, data };
  } catch (e) {
    return { ok: false, status: 0, data: { error: 'NETWORK', message: String(e) } };
  }
}

export function errorBox(data) {
  return h('div', { class: 'error', 'data-test': 'error' },
    h('strong', {}, data.error || 'ERROR'), data.message ? ': ' + data.message : '');
}

// Live views of the page on screen; closed when the page changes.
const open = new Set();

// Calls onData(json) whenever the API answer at `path` changes (see
// console/live.h). Returns a handle with close().
export function live(path, onData, interval = 1000, onState = () => {}) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live?path=${encodeURIComponent(path)}&interval=${interval}`;
  const socket = new WebSocket(url);
  const handle = { close() { open.delete(handle); socket.close(); } };
  socket.onopen = () => onState(true);
  socket.onclose = () => onState(false);
  socket.onmessage = (m) => {
    try { onData(JSON.parse(m.data)); } catch (e) { console.error(e); }
  };
  open.add(handle);
  return handle;
}

export function closeLiveViews() {
  for (const handle of [...open]) handle.close();
}

export function liveBadge() {
  const dot = h('span', { class: 'live-dot', 'data-test': 'live-dot' });
  const label = h('span', { class: 'muted' }, t('live_on'));
  const el = h('span', { class: 'live' }, dot, label);
  el.set = (on) => dot.classList.toggle('on', on);
  return el;
}

export function fmtNumber(n) {
  if (n === null || n === undefined) return t('none');
  return Number(n).toLocaleString(language() === 'ru' ? 'ru-RU' : 'en-US');
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return t('none');
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0, v = Number(n);
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export function fmtTime(ms) {
  if (ms === null || ms === undefined || ms < 0) return t('none');
  const d = new Date(ms);
  const pad = (x, n = 2) => String(x).padStart(n, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined) return t('not_reported');
  const s = Math.floor(ms / 1000), m = Math.floor(s / 60), hr = Math.floor(m / 60), d = Math.floor(hr / 24);
  if (d > 0) return `${d}d ${hr % 24}h`;
  if (hr > 0) return `${hr}h ${m % 60}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function badge(state) {
  return h('span', { class: 'badge ' + state, 'data-test': 'state' }, state);
}

export function card(label, value, test, small = false) {
  return h('div', { class: 'card' }, h('div', { class: 'label' }, label),
    h('div', { class: 'value' + (small ? ' small' : ''), 'data-test': test }, value));
}

export function table(headers, rows, test) {
  return h('table', { 'data-test': test },
    h('thead', {}, h('tr', {}, headers.map((x) => (typeof x === 'string' ? h('th', {}, x) : x)))),
    h('tbody', {}, rows));
}

// "a=1\nb=2" -> {a: '1', b: '2'}
export function parsePairs(text, sep) {
  const out = {};
  for (const line of text.split('\n')) {
    const s = line.trim();
    if (!s) continue;
    const i = s.indexOf(sep);
    if (i < 0) out[s] = '';
    else out[s.slice(0, i).trim()] = s.slice(i + 1).trim();
  }
  return out;
}
