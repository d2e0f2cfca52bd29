// Requests: each request a client sends and the broker's answer, live,
// filterable by client (inside `kafkalite serve` only).
import { t } from '../i18n.js';
import { h, live, liveBadge, fmtTime } from '../dom.js';

export async function requestsPage() {
  const client = h('select', { 'data-test': 'client-filter' }, h('option', { value: '' }, t('all_clients')));
  const badge = liveBadge();
  const body = h('tbody');
  const note = h('p', { class: 'muted', 'data-test': 'waiting' }, t('waiting'));
  const grid = h('table', { 'data-test': 'requests' },
    h('thead', {}, h('tr', {}, [t('time'), t('client_id'), t('connection'), t('api'), t('request'), t('response'), t('duration')].map((x) => h('th', {}, x)))), body);
  const out = h('div', {}, h('h1', {}, t('requests'), badge), h('p', { class: 'note' }, t('requests_help')),
    h('div', { class: 'toolbar' }, h('label', {}, t('client_id'), client)), note, grid);
  const known = new Set();
  let stream = null;
  const start = () => {
    if (stream) stream.close();
    body.replaceChildren();
    const q = new URLSearchParams({ limit: '200' });
    if (client.value) q.set('client', client.value);
    stream = live(`/api/requests?${q}`, (data) => {
      if (!data.available) { out.replaceChildren(h('h1', {}, t('requests')), h('div', { class: 'note', 'data-test': 'not-available' }, h('strong', {}, t('not_available') + ': '), data.reason)); return; }
      for (const c of data.clients || []) {
        if (!known.has(c)) { known.add(c); client.append(h('option', { value: c }, c || '(none)')); }
      }
      if (data.events.length) note.remove();
      for (const e of data.events) {
        const detail = h('tr', { class: 'detail', style: 'display:none' }, h('td', { colspan: 7 },
          h('pre', {}, JSON.stringify({ request: e.request, response: e.response }, null, 2))));
        const row = h('tr', { class: 'request-row', 'data-test': 'request', 'data-api': e.api, onclick: () => { detail.style.display = detail.style.display ? '' : 'none'; } },
          h('td', { class: 'mono' }, fmtTime(e.time).slice(11)), h('td', { 'data-test': 'request-client' }, e.client_id ?? ''),
          h('td', { class: 'mono muted' }, e.peer),
          h('td', {}, `${e.api} v${e.version}`), h('td', {}, e.request_summary),
          h('td', { class: e.error ? 'error-text' : '' }, e.response_summary), h('td', { class: 'num' }, `${(e.duration_us / 1000).toFixed(1)} ms`));
        body.prepend(detail);
        body.prepend(row);
      }
      while (body.children.length > 1000) body.lastChild.remove();
    }, 500, (on) => badge.set(on));
  };
  client.addEventListener('change', start);
  start();
  return out;
}
