// Messages (Seek Type Earliest, Latest, Offset, Timestamp; a partition; search;
// text or pretty JSON; Live mode) and Produce Message.
import { t } from '../i18n.js';
import { h, api, live, liveBadge, errorBox, table, fmtTime, parsePairs } from '../dom.js';

function valueView(value, encoding, format) {
  if (value === null || value === undefined) return h('span', { class: 'muted' }, 'null');
  if (encoding === 'base64') return h('span', { class: 'muted', title: 'base64' }, value);
  if (format === 'json') {
    try { return h('pre', {}, JSON.stringify(JSON.parse(value), null, 2)); } catch (e) { /* not JSON: as text */ }
  }
  return h('pre', {}, value);
}

function messageRow(m, format) {
  return h('tr', { 'data-test': 'message', 'data-offset': m.offset, 'data-partition': m.partition },
    h('td', { class: 'num' }, m.offset), h('td', { class: 'num' }, m.partition),
    h('td', { class: 'mono' }, fmtTime(m.timestamp)),
    h('td', { class: 'key' }, valueView(m.key, m.key_encoding, 'text')),
    h('td', { class: 'value', 'data-test': 'message-value' }, valueView(m.value, m.value_encoding, format)),
    h('td', { class: 'mono' }, (m.headers || []).map((x) => h('div', {}, `${x.key}: ${x.value ?? 'null'}`))));
}

export function messagesTab(topic) {
  const name = encodeURIComponent(topic.name);
  const seek = h('select', { 'data-test': 'seek-type' },
    ['earliest', 'latest', 'offset', 'timestamp'].map((s) => h('option', { value: s }, t(s))));
  const offset = h('input', { type: 'number', min: 0, value: 0, 'data-test': 'seek-offset', style: 'width:110px' });
  const when = h('input', { type: 'datetime-local', step: 1, 'data-test': 'seek-timestamp' });
  const partition = h('select', { 'data-test': 'partition' }, h('option', { value: '' }, t('all_partitions')),
    topic.partitions.map((p) => h('option', { value: p.partition }, `${t('partition')} ${p.partition}`)));
  const search = h('input', { type: 'search', placeholder: t('search'), 'data-test': 'search' });
  const format = h('select', { 'data-test': 'format' }, h('option', { value: 'text' }, t('text')), h('option', { value: 'json' }, t('json')));
  const liveBox = h('input', { type: 'checkbox', 'data-test': 'live' });
  const badge = liveBadge();
  badge.style.display = 'none';
  const result = h('div');
  const body = h('tbody');
  const count = h('span', { class: 'muted', 'data-test': 'message-count' });
  const grid = h('table', { 'data-test': 'messages' },
    h('thead', {}, h('tr', {}, [t('offset'), t('partition'), t('timestamp'), t('key'), t('value'), t('headers')].map((x) => h('th', {}, x)))), body);
  let stream = null;
  let shown = [];
  const redraw = () => {
    body.replaceChildren(...shown.map((m) => messageRow(m, format.value)));
    count.textContent = shown.length ? `${shown.length}` : t('no_messages');
  };
  const query = () => {
    const q = new URLSearchParams({ seek: seek.value });
    if (seek.value === 'offset') q.set('offset', offset.value || '0');
    if (seek.value === 'timestamp') q.set('timestamp', String(when.value ? new Date(when.value).getTime() : Date.now()));
    if (partition.value !== '') q.set('partition', partition.value);
    if (search.value) q.set('q', search.value);
    return q;
  };
  const load = async () => {
    if (stream) { stream.close(); stream = null; }
    const r = await api('GET', `/api/topics/${name}/messages?${query()}`);
    if (!r.ok) { result.replaceChildren(errorBox(r.data)); return; }
    result.replaceChildren();
    shown = r.data.messages;
    redraw();
    if (liveBox.checked) {
      // Live mode: from where this answer ended, append what arrives.
      const q = query();
      q.set('from', r.data.next.from);
      stream = live(`/api/topics/${name}/messages?${q}`, (data) => {
        if (data.error) { result.replaceChildren(errorBox(data)); return; }
        shown = shown.concat(data.messages);
        if (shown.length > 2000) shown = shown.slice(shown.length - 2000);
        redraw();
      }, 500, (on) => badge.set(on));
    }
  };
  const showInputs = () => {
    offset.parentElement.style.display = seek.value === 'offset' ? '' : 'none';
    when.parentElement.style.display = seek.value === 'timestamp' ? '' : 'none';
  };
  seek.addEventListener('change', showInputs);
  format.addEventListener('change', redraw);
  liveBox.addEventListener('change', () => { badge.style.display = liveBox.checked ? '' : 'none'; load(); });
  const toolbar = h('div', { class: 'toolbar' },
    h('label', {}, t('seek_type'), seek), h('label', {}, t('offset'), offset), h('label', {}, t('timestamp'), when),
    h('label', {}, t('partition'), partition), h('label', {}, t('search'), search), h('label', {}, t('format'), format),
    h('button', { 'data-test': 'load-messages', onclick: load }, t('load_messages')),
    h('label', { style: 'flex-direction:row; align-items:center; gap:6px' }, liveBox, t('live')), badge);
  const out = h('div', {}, toolbar, result, count, grid);
  setTimeout(showInputs);
  return out;
}

export function produceTab(topic) {
  const key = h('input', { 'data-test': 'produce-key', style: 'width:100%' });
  const value = h('textarea', { 'data-test': 'produce-value' });
  const headers = h('textarea', { 'data-test': 'produce-headers', placeholder: t('headers_hint'), style: 'min-height:50px' });
  const partition = h('select', { 'data-test': 'produce-partition' }, h('option', { value: '' }, t('any_partition')),
    topic.partitions.map((p) => h('option', { value: p.partition }, p.partition)));
  const result = h('div');
  const send = h('button', { 'data-test': 'produce', onclick: async () => {
    send.disabled = true;
    const body = { key: key.value === '' ? null : key.value, value: value.value,
      headers: Object.entries(parsePairs(headers.value, ':')).map(([k, v]) => ({ key: k, value: v })) };
    if (partition.value !== '') body.partition = Number(partition.value);
    const r = await api('POST', `/api/topics/${encodeURIComponent(topic.name)}/messages`, body);
    send.disabled = false;
    result.replaceChildren(r.ok ? h('div', { class: 'ok', 'data-test': 'produced' }, t('produced', { p: r.data.partition, o: r.data.offset }))
      : errorBox(r.data));
  } }, t('produce'));
  return h('div', {}, h('div', { class: 'form' },
    h('label', {}, t('key')), key, h('label', {}, t('value')), value,
    h('label', {}, t('headers')), headers, h('label', {}, t('partition')), partition, h('span'), h('div', {}, send)), result);
}
