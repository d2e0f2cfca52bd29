// Topics: the list (partitions, messages, size, internal ones marked) and
// "Add a Topic".
import { t } from '../i18n.js';
import { h, api, errorBox, table, fmtNumber, fmtBytes, parsePairs } from '../dom.js';

function createForm(onCreated) {
  const name = h('input', { 'data-test': 'topic-name', placeholder: 'hello-kafka' });
  const partitions = h('input', { type: 'number', min: 1, value: 1, 'data-test': 'topic-partitions' });
  const rf = h('input', { type: 'number', min: 1, value: 1, 'data-test': 'topic-replication' });
  const configs = h('textarea', { 'data-test': 'topic-configs', placeholder: t('configs_hint') });
  const result = h('div');
  const submit = h('button', { 'data-test': 'create-topic', onclick: async () => {
    submit.disabled = true;
    const r = await api('POST', '/api/topics', { name: name.value.trim(), partitions: Number(partitions.value),
      replication_factor: Number(rf.value), configs: parsePairs(configs.value, '=') });
    submit.disabled = false;
    if (!r.ok) { result.replaceChildren(errorBox(r.data)); return; }
    onCreated(r.data.name);
  } }, t('create_topic'));
  return h('div', { class: 'form-wrap', 'data-test': 'create-form' },
    h('div', { class: 'form' },
      h('label', {}, t('topic_name')), name,
      h('label', {}, t('partitions')), partitions,
      h('label', {}, t('replication_factor')), rf,
      h('label', {}, t('configs')), configs,
      h('span'), h('div', {}, submit)),
    result);
}

export async function topicsPage() {
  const r = await api('GET', '/api/topics');
  const out = h('div', {});
  const formSlot = h('div');
  out.append(h('h1', {}, t('topics'),
    h('button', { 'data-test': 'add-topic', onclick: () => {
      formSlot.replaceChildren(createForm((name) => { location.hash = `#/topics/${encodeURIComponent(name)}`; }));
    } }, t('add_topic'))), formSlot);
  if (!r.ok) { out.append(errorBox(r.data)); return out; }
  if (!r.data.topics.length) out.append(h('p', { class: 'muted' }, t('no_topics')));
  out.append(table([t('topic_name'), h('th', { class: 'num' }, t('partitions')), h('th', { class: 'num' }, t('replication_factor')),
    h('th', { class: 'num' }, t('message_count')), h('th', { class: 'num' }, t('size'))],
  r.data.topics.map((topic) => h('tr', { 'data-topic': topic.name },
    h('td', {}, h('a', { href: `#/topics/${encodeURIComponent(topic.name)}`, 'data-test': 'topic-link' }, topic.name),
      topic.internal ? [' ', h('span', { class: 'badge' }, t('internal'))] : null),
    h('td', { class: 'num' }, topic.partitions), h('td', { class: 'num' }, topic.replication_factor),
    h('td', { class: 'num', 'data-test': 'topic-messages' }, fmtNumber(topic.messages)),
    h('td', { class: 'num' }, fmtBytes(topic.size_bytes)))), 'topics'));
  return out;
}
