// Consumers: the groups, and one group's Members, Offsets (lag bars, Reset
// Offset, delete) and Rebalances (the coordinator's timeline). A consumer
// group (KIP-848) shows its epochs and each member's target assignment.
import { t } from '../i18n.js';
import { h, api, live, liveBadge, errorBox, table, badge, fmtNumber, fmtTime } from '../dom.js';

export async function consumersPage() {
  const r = await api('GET', '/api/groups');
  const out = h('div', {}, h('h1', {}, t('consumers')));
  if (!r.ok) { out.append(errorBox(r.data)); return out; }
  if (!r.data.groups.length) out.append(h('p', { class: 'note', 'data-test': 'no-groups' }, t('no_groups')));
  out.append(table([t('group_id'), h('th', { class: 'num' }, t('num_members')), h('th', { class: 'num' }, t('num_topics')),
    h('th', { class: 'num' }, t('messages_behind')), t('state')],
  r.data.groups.map((g) => h('tr', { 'data-group': g.group_id },
    h('td', {}, h('a', { href: `#/consumers/${encodeURIComponent(g.group_id)}`, 'data-test': 'group-link' }, g.group_id)),
    h('td', { class: 'num' }, g.members ?? ''), h('td', { class: 'num' }, g.topics ?? ''),
    h('td', { class: 'num', 'data-test': 'group-lag' }, fmtNumber(g.lag)), h('td', {}, badge(g.state)))), 'groups'));
  return out;
}

const tabs = [['members', 'members'], ['offsets', 'offsets'], ['timeline', 'timeline']];

export async function groupPage(group, tab) {
  const base = `#/consumers/${encodeURIComponent(group)}`;
  const path = `/api/groups/${encodeURIComponent(group)}`;
  const stateSlot = h('span');
  const liveMark = liveBadge();
  const body = h('div');
  const out = h('div', {},
    h('div', { class: 'crumbs' }, h('a', { href: '#/consumers' }, t('consumers')), ' / '),
    h('h1', { 'data-test': 'group-title' }, group, stateSlot, liveMark),
    h('div', { class: 'tabs' }, tabs.map(([x, label]) =>
      h('a', { href: `${base}/${x}`, class: x === tab ? 'active' : '', 'data-test': 'tab-' + x }, t(label)))),
    body);
  if (tab === 'timeline') {
    body.append(timelineView(group));
    const r = await api('GET', path);
    if (r.ok) stateSlot.replaceChildren(badge(r.data.state));
    return out;
  }
  const message = h('div');
  const content = h('div');
  const resetSlot = h('div');
  body.append(message, content, resetSlot);
  const draw = (data) => {
    if (data.error) { content.replaceChildren(errorBox(data)); return; }
    stateSlot.replaceChildren(badge(data.state));
    content.replaceChildren(tab === 'offsets' ? offsetsView(data) : membersView(data));
    if (tab === 'offsets' && !resetSlot.firstChild) resetSlot.append(resetForm(group, data, message));
  };
  // A group that does not exist yet (its consumer is still starting) shows
  // the error until it does: the live view keeps asking.
  const first = await api('GET', path);
  draw(first.ok ? first.data : { error: 'ERROR', ...first.data });
  live(path, draw, 1000, (on) => liveMark.set(on));
  return out;
}

const partitionList = (ps) => (ps || []).map((a) => `${a.topic}-${a.partition}`).join(', ');

function membersView(g) {
  if (g.type === 'consumer') return consumerMembersView(g);
  return h('div', {},
    h('p', {}, `${t('protocol')}: `, h('strong', {}, g.protocol_type || t('none')), g.protocol ? ` (${g.protocol})` : ''),
    table([t('member_id'), t('client_id'), t('host'), t('assignment')],
      g.members.map((m) => h('tr', { 'data-test': 'member' }, h('td', { class: 'mono' }, m.member_id), h('td', {}, m.client_id),
        h('td', {}, m.host), h('td', {}, partitionList(m.assignment)))), 'members'));
}

// A KIP-848 group: its epochs, and per member where it is and where the
// coordinator is taking it.
function consumerMembersView(g) {
  return h('div', {},
    h('p', { class: 'note' }, t('consumer_group_help')),
    h('p', {}, `${t('group_type')}: `, h('strong', { 'data-test': 'group-type' }, g.type),
      ` · ${t('group_epoch')}: `, h('strong', { 'data-test': 'group-epoch' }, g.group_epoch),
      ` · ${t('assignment_epoch')}: `, h('strong', { 'data-test': 'assignment-epoch' }, g.assignment_epoch),
      ` · ${t('protocol')}: `, h('strong', {}, g.protocol || t('none'))),
    table([t('member_id'), t('client_id'), t('host'), h('th', { class: 'num' }, t('member_epoch')), t('member_type'),
      t('assignment'), t('target_assignment')],
    g.members.map((m) => {
      const moving = partitionList(m.assignment) !== partitionList(m.target_assignment);
      return h('tr', { 'data-test': 'member' }, h('td', { class: 'mono' }, m.member_id), h('td', {}, m.client_id),
        h('td', {}, m.host), h('td', { class: 'num', 'data-test': 'member-epoch' }, m.member_epoch ?? t('none')),
        h('td', { 'data-test': 'member-type' }, m.member_type || t('none')),
        h('td', { 'data-test': 'member-assignment' }, partitionList(m.assignment) || t('none')),
        h('td', { 'data-test': 'member-target', class: moving ? 'moving' : '' }, partitionList(m.target_assignment) || t('none')));
    }), 'members'));
}

function offsetsView(g) {
  const maxLag = Math.max(1, ...g.partitions.map((p) => p.lag || 0));
  return h('div', {},
    h('p', {}, `${t('messages_behind')}: `, h('strong', { 'data-test': 'total-lag' }, fmtNumber(g.lag))),
    table([t('topic'), t('partition'), h('th', { class: 'num' }, t('committed_offset')), h('th', { class: 'num' }, t('end_offset')),
      h('th', { class: 'num' }, t('lag')), t('lag_bars'), t('client_id')],
    g.partitions.map((p) => h('tr', { 'data-test': 'offset-row', 'data-topic': p.topic, 'data-partition': p.partition },
      h('td', {}, h('a', { href: `#/topics/${encodeURIComponent(p.topic)}/log` }, p.topic)), h('td', {}, p.partition),
      h('td', { class: 'num', 'data-test': 'committed' }, p.committed_offset ?? t('none')),
      h('td', { class: 'num', 'data-test': 'end' }, p.end_offset),
      h('td', { class: 'num', 'data-test': 'lag' }, p.lag ?? t('none')),
      h('td', {}, h('div', { class: 'bar', title: String(p.lag ?? 0) }, h('span', { style: `width:${Math.round(100 * (p.lag || 0) / maxLag)}%` }))),
      h('td', {}, p.client_id || t('none')))), 'offsets'));
}

function resetForm(group, g, message) {
  const topics = [...new Set(g.partitions.map((p) => p.topic))];
  const topic = h('select', { 'data-test': 'reset-topic' }, h('option', { value: '' }, t('all_topics')), topics.map((x) => h('option', { value: x }, x)));
  const type = h('select', { 'data-test': 'reset-type' }, ['earliest', 'latest', 'offset', 'timestamp'].map((s) => h('option', { value: s }, t(s))));
  const offset = h('input', { type: 'number', min: 0, value: 0, 'data-test': 'reset-offset', style: 'width:110px' });
  const when = h('input', { type: 'datetime-local', step: 1, 'data-test': 'reset-timestamp' });
  const submit = h('button', { 'data-test': 'reset-submit', onclick: async () => {
    const body = { to: type.value };
    if (topic.value) body.topic = topic.value;
    if (type.value === 'offset') body.offset = Number(offset.value);
    if (type.value === 'timestamp') body.timestamp = when.value ? new Date(when.value).getTime() : Date.now();
    const r = await api('POST', `/api/groups/${encodeURIComponent(group)}/offsets/reset`, body);
    message.replaceChildren(r.ok ? h('div', { class: 'ok', 'data-test': 'reset-done' }, t('reset_done') + ': ' +
      r.data.offsets.map((o) => `${o.topic}-${o.partition} → ${o.offset}`).join(', ')) : errorBox(r.data));
  } }, t('submit'));
  const form = h('div', { 'data-test': 'reset-form', style: 'display:none' },
    h('div', { class: 'toolbar' }, h('label', {}, t('topic'), topic), h('label', {}, t('reset_type'), type),
      h('label', {}, t('offset'), offset), h('label', {}, t('timestamp'), when), submit));
  const open = h('button', { 'data-test': 'reset-offset-open', onclick: () => { form.style.display = ''; } }, t('reset_offset'));
  const del = h('button', { class: 'danger', 'data-test': 'delete-group', onclick: async () => {
    const r = await api('DELETE', `/api/groups/${encodeURIComponent(group)}`);
    if (r.ok) location.hash = '#/consumers'; else message.replaceChildren(errorBox(r.data));
  } }, t('delete_group'));
  return h('div', {}, h('div', { class: 'toolbar' }, open, del), form);
}

function eventText(e) {
  const short = (id) => (id && id.length > 28 ? id.slice(0, 28) + '…' : id);
  switch (e.event) {
    case 'member_joined': return t('event_member_joined', { m: short(e.member.member_id), c: e.member.client_id, h: e.member.host });
    case 'member_left': return t('event_member_left', { m: short(e.member_id), r: e.reason });
    case 'member_expired': return t('event_member_expired', { m: short(e.member_id), r: e.reason });
    case 'rebalance_started': return t('event_rebalance_started', { g: e.generation, r: e.reason });
    case 'empty': return t('event_empty');
    case 'joined': return t('event_joined', { g: e.generation, n: e.members.length, l: short(e.leader), p: e.protocol });
    case 'assigned': return t('event_assigned', { g: e.generation });
    case 'epoch_bumped': return t('event_epoch_bumped', { e: e.group_epoch, r: e.reason });
    case 'target_assigned': return t('event_target_assigned', { e: e.assignment_epoch, a: e.assignor });
    case 'member_reconciled': return t('event_member_reconciled', { m: `${short(e.member.member_id)} (${e.member.client_id})`, e: e.member_epoch, s: e.member_state });
    case 'member_fenced': return t('event_member_fenced', { m: short(e.member_id), r: e.reason });
    case 'converted': return t('event_converted', { t: e.type, r: e.reason });
    default: return e.event;
  }
}

// What an event lists below its line: each member's partitions.
function eventDetails(e) {
  const item = (m, text) => h('li', { class: 'mono' }, `${m.client_id} (${m.member_id.slice(0, 28)}…): ${text || t('none')}`);
  if (e.event === 'assigned' && e.members) return h('ul', {}, e.members.map((m) => item(m, partitionList(m.assignment))));
  if (e.event === 'target_assigned') return h('ul', {}, e.members.map((m) => item(m, `${t('target')} ${partitionList(m.target) || t('none')}`)));
  if (e.event === 'member_reconciled') {
    const revoking = e.revoking.length ? ` · ${t('gives_up')} ${partitionList(e.revoking)}` : '';
    return h('ul', {}, h('li', { class: 'mono', 'data-test': 'reconciled' }, `${t('owns')} ${partitionList(e.assigned) || t('none')}${revoking}`));
  }
  return null;
}

function timelineView(group) {
  const list = h('ul', { class: 'timeline', 'data-test': 'timeline' });
  const out = h('div', {}, h('p', { class: 'note' }, t('timeline_help')), list);
  const empty = h('p', { class: 'muted', 'data-test': 'no-events' }, t('no_events'));
  out.append(empty);
  live(`/api/groups/${encodeURIComponent(group)}/timeline`, (data) => {
    if (data.error) { out.replaceChildren(errorBox(data)); return; }
    if (!data.available) { out.replaceChildren(h('div', { class: 'note', 'data-test': 'not-available' }, h('strong', {}, t('not_available') + ': '), data.reason)); return; }
    if (data.events.length) empty.remove();
    for (const e of data.events) {
      list.append(h('li', { class: e.event, 'data-test': 'event', 'data-event': e.event },
        h('div', { class: 'time' }, fmtTime(e.time), ' · ', e.state || e.type), h('div', {}, eventText(e)), eventDetails(e)));
    }
  }, 1000);
  return out;
}
