// One topic: Overview (partitions with log start and end offsets; add
// partitions, clear messages, delete), Messages, Produce Message, Log (the
// teaching strip) and Settings (configs with their sources, editable).
import { t } from '../i18n.js';
import { h, api, errorBox, table, fmtNumber, fmtBytes } from '../dom.js';
import { messagesTab, produceTab } from './messages.js';
import { logTab } from './log_strip.js';

const tabs = ['overview', 'messages', 'produce', 'log', 'settings'];
const tabLabel = { overview: 'overview', messages: 'messages', produce: 'produce_message', log: 'log', settings: 'settings' };

export async function topicPage(name, tab) {
  const r = await api('GET', `/api/topics/${encodeURIComponent(name)}`);
  const base = `#/topics/${encodeURIComponent(name)}`;
  const out = h('div', {},
    h('div', { class: 'crumbs' }, h('a', { href: '#/topics' }, t('topics')), ' / '),
    h('h1', { 'data-test': 'topic-title' }, name),
    h('div', { class: 'tabs' }, tabs.map((x) =>
      h('a', { href: `${base}/${x}`, class: x === tab ? 'active' : '', 'data-test': 'tab-' + x }, t(tabLabel[x])))));
  if (!r.ok) { out.append(errorBox(r.data)); return out; }
  const topic = r.data;
  if (tab === 'messages') out.append(messagesTab(topic));
  else if (tab === 'produce') out.append(produceTab(topic));
  else if (tab === 'log') out.append(logTab(topic));
  else if (tab === 'settings') out.append(await settingsTab(topic));
  else out.append(overviewTab(topic));
  return out;
}

function confirmButton(label, test, action) {
  const slot = h('span');
  const first = h('button', { class: 'danger', 'data-test': test, onclick: () => {
    slot.replaceChildren(h('button', { class: 'danger', 'data-test': test + '-confirm', onclick: action }, t('confirm')), ' ',
      h('button', { class: 'secondary', onclick: () => slot.replaceChildren(first) }, t('cancel')));
  } }, label);
  slot.append(first);
  return slot;
}

function overviewTab(topic) {
  const result = h('div');
  const count = h('input', { type: 'number', min: topic.partitions.length + 1, value: topic.partitions.length + 1, 'data-test': 'new-partitions', style: 'width:90px' });
  const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  const actions = h('div', { class: 'toolbar' },
    h('label', {}, t('new_total'), count),
    h('button', { class: 'secondary', 'data-test': 'add-partitions', onclick: async () => {
      const r = await api('POST', `/api/topics/${encodeURIComponent(topic.name)}/partitions`, { count: Number(count.value) });
      if (!r.ok) result.replaceChildren(errorBox(r.data)); else reload();
    } }, t('add_partitions')),
    confirmButton(t('clear_messages'), 'clear-messages', async () => {
      const r = await api('POST', `/api/topics/${encodeURIComponent(topic.name)}/clear`);
      if (!r.ok) result.replaceChildren(errorBox(r.data)); else reload();
    }),
    confirmButton(t('delete_topic'), 'delete-topic', async () => {
      const r = await api('DELETE', `/api/topics/${encodeURIComponent(topic.name)}`);
      if (!r.ok) result.replaceChildren(errorBox(r.data)); else location.hash = '#/topics';
    }));
  return h('div', {},
    h('p', {}, `${t('message_count')}: `, h('strong', { 'data-test': 'topic-message-count' }, fmtNumber(topic.messages)),
      ` · ${t('replication_factor')}: ${topic.replication_factor}`, topic.internal ? ` · ${t('internal')}` : ''),
    table([t('partition'), t('leader'), t('replicas'), t('isr'), h('th', { class: 'num' }, t('log_start_offset')),
      h('th', { class: 'num' }, t('end_offset')), h('th', { class: 'num' }, t('message_count')), h('th', { class: 'num' }, t('size'))],
    topic.partitions.map((p) => h('tr', {},
      h('td', {}, p.partition), h('td', {}, p.leader), h('td', {}, p.replicas.join(', ')), h('td', {}, p.isr.join(', ')),
      h('td', { class: 'num', 'data-test': 'log-start' }, p.log_start_offset), h('td', { class: 'num', 'data-test': 'end-offset' }, p.end_offset),
      h('td', { class: 'num' }, fmtNumber(p.messages)), h('td', { class: 'num' }, fmtBytes(p.size_bytes)))), 'partitions'),
    actions, result);
}

async function settingsTab(topic) {
  const r = await api('GET', `/api/topics/${encodeURIComponent(topic.name)}/configs`);
  if (!r.ok) return errorBox(r.data);
  const result = h('div');
  const rows = r.data.configs.map((c) => {
    const valueCell = h('td', { class: 'mono' }, c.value ?? 'null');
    const edit = c.read_only ? '' : h('button', { class: 'secondary', 'data-test': 'edit-' + c.name, onclick: () => {
      const input = h('input', { value: c.value ?? '', 'data-test': 'config-value' });
      valueCell.replaceChildren(input, ' ', h('button', { 'data-test': 'save-config', onclick: async () => {
        const saved = await api('PATCH', `/api/topics/${encodeURIComponent(topic.name)}/configs`, { set: { [c.name]: input.value } });
        if (!saved.ok) result.replaceChildren(errorBox(saved.data));
        else window.dispatchEvent(new HashChangeEvent('hashchange'));
      } }, t('save')));
    } }, t('edit'));
    return h('tr', { 'data-config': c.name }, h('td', { class: 'mono' }, c.name), valueCell,
      h('td', {}, h('span', { class: 'badge', 'data-test': 'config-source' }, c.source)), h('td', {}, edit));
  });
  return h('div', {}, result, table([t('name'), t('value'), t('source'), ''], rows, 'configs'));
}
