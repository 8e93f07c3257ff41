import {
  ADMIN_STATES,
  type AdminState,
  type L4lbView,
  LB_ALGORITHMS,
  type LbAlgorithm,
  viewL4lb,
} from '@roundtrip/sim';
import type { Session } from '../net/connection.ts';
import { h } from '../ui/dom.ts';
import type { RolePanel, RolePanelModule } from './panel.ts';

/** The L4 load balancer's panel (SPEC LB-L4-5): a first, plain version; lessons 4 and 6 will dress it. */
export const l4lbPanel: RolePanelModule = { name: 'L4 balancer', create: createL4lbPanel };

const ALGORITHM_WORDS: Record<LbAlgorithm, string> = {
  'round-robin': 'Round robin',
  'least-connections': 'Least connections',
  'source-hash': 'Source IP hash',
  'two-choices': 'Two random choices',
  maglev: 'Maglev (consistent hash)',
};

function figure(label: string, testid: string): { el: HTMLElement; value: HTMLElement } {
  const value = h('span', { class: 'stat-value', testid });
  return { el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value), value };
}

/** One backend's row: weight and state controls, health and connections, its server's queue. */
function backendRow(session: Session, id: string) {
  const weight = h('input', {
    type: 'number',
    min: 0,
    max: 100,
    step: 1,
    inputmode: 'numeric',
    'aria-label': `Weight of ${id}`,
  });
  const state = h(
    'select',
    { 'aria-label': `State of ${id}` },
    ...ADMIN_STATES.map((s) => h('option', { value: s }, s)),
  );
  const health = h('td', {});
  const conns = h('td', {});
  const queue = h('td', {});
  weight.addEventListener('change', () => {
    const w = Number(weight.value);
    if (Number.isInteger(w) && w >= 0 && w <= 100)
      session.send('l4lb.weight', { backend: id, weight: w }, weight);
  });
  state.addEventListener('change', () =>
    session.send('l4lb.backend', { backend: id, state: state.value as AdminState }, state),
  );
  const el = h(
    'tr',
    { testid: `l4lb-backend-${id}` },
    h('td', {}, id),
    h('td', {}, weight),
    h('td', {}, state),
    health,
    conns,
    queue,
  );
  const show = (b: L4lbView['backends'][number]) => {
    if (document.activeElement !== weight) weight.value = String(b.weight);
    if (document.activeElement !== state) state.value = b.admin;
    health.textContent = b.healthy ? 'up' : 'down';
    conns.textContent = `${b.open} open · ${b.total} · ${b.broken} broken`;
    queue.textContent = b.server
      ? `${b.server.busy}/${b.server.concurrency} busy · ${b.server.queued} queued`
      : '—';
  };
  return { el, show };
}

/** The player's balancer: algorithm, tracking, restart; per backend weight, state, health, connections and queue. */
function createL4lbPanel(session: Session, lbId: string, _copy: number): RolePanel {
  const sc = session.replica.scenario;
  const spec = sc.file.nodes.find((n) => n.id === lbId);
  const backendIds = spec?.kind === 'l4lb' ? spec.backends.map((b) => b.host) : [];
  const open = figure('Open connections', 'l4lb-open');
  const accepted = figure('Connections', 'l4lb-accepted');
  const refused = figure('Refused', 'l4lb-refused');
  const broken = figure('Broken', 'l4lb-broken');
  const imbalance = figure('Busiest ÷ mean', 'l4lb-imbalance');
  const algorithm = h(
    'select',
    { id: 'l4lb-algorithm', testid: 'l4lb-algorithm' },
    ...LB_ALGORITHMS.map((a) => h('option', { value: a }, ALGORITHM_WORDS[a])),
  );
  algorithm.addEventListener('change', () =>
    session.send('l4lb.algorithm', { algorithm: algorithm.value as LbAlgorithm }, algorithm),
  );
  const tracking = h('input', { type: 'checkbox', id: 'l4lb-tracking', testid: 'l4lb-tracking' });
  tracking.addEventListener('change', () =>
    session.send('l4lb.tracking', { on: tracking.checked }, tracking),
  );
  const flush = h(
    'button',
    { type: 'button', class: 'secondary', testid: 'l4lb-flush' },
    'Restart (forget connections)',
  );
  flush.addEventListener('click', () => session.send('l4lb.flush', {}, flush));
  const rows = backendIds.map((id) => backendRow(session, id));
  const el = h(
    'section',
    { class: 'card l4lb-panel', testid: 'l4lb-panel', 'aria-label': 'Your load balancer' },
    h('h2', {}, `Your L4 balancer: ${spec?.label || lbId} (${lbId})`),
    h('div', { class: 'resolver-figures' }, open.el, accepted.el, refused.el, broken.el, imbalance.el),
    h('div', { class: 'row' }, h('label', { for: 'l4lb-algorithm' }, 'Algorithm'), algorithm),
    h('label', { class: 'toggle', for: 'l4lb-tracking' }, tracking, ' Keep each connection on its backend'),
    h(
      'table',
      { class: 'l4lb-backends' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Backend', 'Weight', 'State', 'Health', 'Connections', 'Server'].map((t) => h('th', {}, t)),
        ),
      ),
      h('tbody', {}, ...rows.map((r) => r.el)),
    ),
    h('div', { class: 'row' }, flush),
  );
  const update = () => {
    const sim = session.replica.sim;
    const state = sim?.st.roles[sc.nodeIndex.get(lbId) ?? -1];
    if (!sim || state?.role !== 'l4lb') return;
    const v = viewL4lb(sim, state);
    open.value.textContent = String(v.open);
    accepted.value.textContent = String(v.accepted);
    refused.value.textContent = String(v.refused);
    broken.value.textContent = String(v.broken);
    imbalance.value.textContent = v.imbalance === 0 ? '—' : v.imbalance.toFixed(2);
    if (document.activeElement !== algorithm) algorithm.value = v.algorithm;
    tracking.checked = v.tracking;
    v.backends.forEach((b, i) => {
      rows[i]?.show(b);
    });
  };
  update();
  return { el, update, nodeClicked: () => {} };
}
