// The teaching strip: a partition's log as a row of offsets, with the log
// start, the end offset and every group's committed offset marked, live.
import { t } from '../i18n.js';
import { h, live, liveBadge, errorBox } from '../dom.js';

const kShown = 40;

function strip(data) {
  const start = data.log_start_offset, end = data.end_offset;
  const first = Math.max(0, end - kShown);
  const byOffset = new Map();
  for (const g of data.groups) {
    if (!byOffset.has(g.committed_offset)) byOffset.set(g.committed_offset, []);
    byOffset.get(g.committed_offset).push(g);
  }
  const cells = [];
  if (first > 0) cells.push(h('div', { class: 'muted', style: 'align-self:center; padding-right:6px' }, t('earlier', { n: first })));
  for (let o = first; o <= end; o++) {
    const cls = o === end ? 'cell end' : o < start ? 'cell deleted' : 'cell';
    const cell = h('div', { class: cls, 'data-offset': o, 'data-test': o === end ? 'strip-end' : 'strip-cell' }, o);
    const marks = byOffset.get(o) || [];
    if (marks.length) {
      cell.append(h('div', { class: 'mark top', 'data-test': 'strip-group', 'data-group': marks.map((g) => g.group_id).join(',') },
        marks.map((g) => g.group_id).join(', ')));
    }
    if (o === start && o !== end) cell.append(h('div', { class: 'mark bottom', 'data-test': 'strip-start' }, t('log_start')));
    if (o === end) cell.append(h('div', { class: 'mark bottom' }, t('end')));
    cells.push(cell);
  }
  return h('div', { class: 'strip', 'data-test': 'strip', 'data-start': start, 'data-end': end }, cells);
}

export function logTab(topic) {
  const out = h('div', {}, h('p', { class: 'note' }, t('strip_help')));
  for (const p of topic.partitions) {
    const badge = liveBadge();
    const slot = h('div', { 'data-partition': p.partition });
    out.append(h('h2', {}, t('strip_title', { p: p.partition }), ' ', badge), slot);
    live(`/api/topics/${encodeURIComponent(topic.name)}/partitions/${p.partition}/log`, (data) => {
      if (data.error) { slot.replaceChildren(errorBox(data)); return; }
      slot.replaceChildren(strip(data));
    }, 1000, (on) => badge.set(on));
  }
  return out;
}
