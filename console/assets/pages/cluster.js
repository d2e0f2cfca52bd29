// Dashboard and Brokers: what the cluster is, and each broker's configs.
import { t } from '../i18n.js';
import { h, api, errorBox, card, table, fmtNumber, fmtDuration } from '../dom.js';

function versionText(c) {
  const parts = [];
  if (c.software) parts.push(c.software);
  if (c.metadata_version) parts.push('Kafka ' + c.metadata_version.replace(/-IV\d+$/, '') + ' (metadata.version ' + c.metadata_version + ')');
  parts.push(`${c.api_count} APIs`);
  return parts.join(' · ');
}

export async function dashboardPage() {
  const r = await api('GET', '/api/cluster');
  if (!r.ok) return h('div', {}, h('h1', {}, t('dashboard')), errorBox(r.data));
  const c = r.data;
  const b = c.brokers[0] || {};
  return h('div', {},
    h('h1', {}, t('dashboard')),
    h('div', { class: 'cards' },
      card(t('cluster_id'), c.cluster_id, 'cluster-id', true),
      card(t('version'), versionText(c), 'version', true),
      card(t('node_id'), b.node_id, 'node-id'),
      card(t('controller'), c.controller_id, 'controller-id'),
      card(t('brokers_count'), c.brokers.length, 'broker-count'),
      card(t('uptime'), fmtDuration(c.uptime_ms), 'uptime', c.uptime_ms === null),
      card(t('topic_count'), fmtNumber(c.topic_count), 'topic-count'),
      card(t('partition_count'), fmtNumber(c.partition_count), 'partition-count'),
      card(t('message_count'), fmtNumber(c.message_count), 'message-count')),
    h('h2', {}, t('brokers')),
    brokersTable(c.brokers));
}

function brokersTable(brokers) {
  return table([t('node_id'), t('host'), t('port'), t('listeners'), t('advertised_listeners')],
    brokers.map((b) => h('tr', {}, h('td', {}, b.node_id), h('td', {}, b.host), h('td', {}, b.port),
      h('td', { class: 'mono' }, b.listeners || ''), h('td', { class: 'mono' }, b.advertised_listeners || ''))), 'brokers');
}

export async function brokersPage() {
  const r = await api('GET', '/api/cluster');
  if (!r.ok) return h('div', {}, h('h1', {}, t('brokers')), errorBox(r.data));
  const out = h('div', {}, h('h1', {}, t('brokers')), brokersTable(r.data.brokers));
  for (const b of r.data.brokers) {
    const configs = await api('GET', `/api/brokers/${b.node_id}/configs`);
    out.append(h('h2', {}, `${t('broker_configs')}: ${b.node_id}`));
    if (!configs.ok) { out.append(errorBox(configs.data)); continue; }
    out.append(table([t('name'), t('value'), t('source')], configs.data.configs.map((c) =>
      h('tr', {}, h('td', { class: 'mono' }, c.name), h('td', { class: 'mono' }, c.sensitive ? '******' : (c.value ?? 'null')),
        h('td', {}, h('span', { class: 'badge' }, c.source))))), 'broker-configs');
  }
  return out;
}
