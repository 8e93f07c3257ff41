import {
  ADMIN_STATES,
  type AdminState,
  type L4BackendView,
  LB_ALGORITHMS,
  type LbAlgorithm,
  viewL4lb,
  WEIGHT_MAX,
} from '@roundtrip/sim';
import type { Session } from '../net/connection.ts';
import { h } from '../ui/dom.ts';
import { backendColor, cssColor } from '../view/balancerDraws.ts';
import {
  backendStateText,
  backendTone,
  imbalanceText,
  loadShares,
  memoryText,
  serverErrors,
} from './l4lbFigures.ts';
import type { RolePanel, RolePanelModule } from './panel.ts';

/** The L4 load balancer's panel (SPEC LB-L4-5, LB-UI-1..3). */
export const l4lbPanel: RolePanelModule = { name: 'L4 balancer', create: createL4lbPanel };

const ALGORITHM_WORDS: Record<LbAlgorithm, string> = {
  'round-robin': 'Round robin',
  'least-connections': 'Least connections',
  'source-hash': 'Source IP hash',
  'two-choices': 'Two random choices',
  maglev: 'Maglev (consistent hash)',
};

/** One line on what each algorithm does, under the picker. */
const ALGORITHM_HINTS: Record<LbAlgorithm, string> = {
  'round-robin': 'Each backend in turn, as often as its weight.',
  'least-connections': 'The backend with the fewest open connections per weight.',
  'source-hash': 'The client’s address picks the backend: the same client, the same backend.',
  'two-choices': 'Two backends at random; the one with fewer open connections.',
  maglev: 'A lookup table of the connection’s addresses and ports: few move when a backend leaves.',
};

const STATE_WORDS: Record<AdminState, string> = {
  up: 'Up',
  drain: 'Drain',
  down: 'Down',
};

function figure(label: string, testid: string): { el: HTMLElement; value: HTMLElement } {
  const value = h('span', { class: 'stat-value', testid });
  return { el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value), value };
}

/**
 * One backend: its colour (the map's lines to it), state, a bar of its open connections
 * against the busiest's, weight and up / drain / down, and its server's load.
 */
function backendCard(session: Session, id: string, label: string, index: number) {
  const weightId = `l4lb-weight-${id}`;
  const weight = h('input', {
    id: weightId,
    type: 'number',
    min: 0,
    max: WEIGHT_MAX,
    step: 1,
    inputmode: 'numeric',
    testid: `l4lb-weight-${id}`,
  });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  weight.addEventListener('change', () => {
    const w = Number(weight.value);
    if (!Number.isInteger(w) || w < 0 || w > WEIGHT_MAX) {
      problem.textContent = `A weight is a whole number from 0 to ${WEIGHT_MAX}.`;
      return;
    }
    problem.textContent = '';
    session.send('l4lb.weight', { backend: id, weight: w }, weight);
  });
  const stateButtons = ADMIN_STATES.map((s) => {
    const b = h(
      'button',
      { type: 'button', class: 'secondary', 'aria-pressed': 'false', testid: `l4lb-${s}-${id}` },
      STATE_WORDS[s],
    );
    b.addEventListener('click', () => session.send('l4lb.backend', { backend: id, state: s }, b));
    return { state: s, b };
  });
  const state = h('span', { class: 'lb-state', testid: `l4lb-state-${id}` });
  const bar = h('span', { class: 'lb-bar-fill' });
  const conns = h('span', { class: 'lb-conns', testid: `l4lb-conns-${id}` });
  const server = h('p', { class: 'lb-server muted', testid: `l4lb-server-${id}` });
  const el = h(
    'div',
    { class: 'lb-backend', testid: `l4lb-backend-${id}`, role: 'group', 'aria-label': `Backend ${id}` },
    h(
      'div',
      { class: 'lb-backend-head' },
      h('span', { class: 'lb-swatch', style: `background:${cssColor(backendColor(index))}` }),
      h('strong', {}, label || id),
      label ? h('span', { class: 'muted' }, ` (${id})`) : null,
      state,
    ),
    h('div', { class: 'lb-bar', 'aria-hidden': 'true' }, bar),
    conns,
    server,
    h(
      'div',
      { class: 'row lb-controls' },
      h('label', { for: weightId }, 'Weight'),
      weight,
      h(
        'span',
        { class: 'lb-states', role: 'group', 'aria-label': `State of ${id}` },
        ...stateButtons.map((s) => s.b),
      ),
    ),
    problem,
  );
  const show = (b: L4BackendView, share: number) => {
    if (document.activeElement !== weight) weight.value = String(b.weight);
    for (const s of stateButtons) s.b.setAttribute('aria-pressed', String(s.state === b.admin));
    state.textContent = backendStateText(b);
    state.dataset.tone = backendTone(b);
    bar.style.width = `${Math.round(share * 100)}%`;
    bar.style.background = cssColor(backendColor(index));
    conns.textContent = `${b.open} open · ${b.total} total · ${b.broken} broken`;
    const s = b.server;
    server.textContent = s
      ? `Server: ${s.busy}/${s.concurrency} busy · ${s.queued}/${s.queueLimit} queued · ` +
        `memory ${memoryText(b)} · ${serverErrors(b)} refused`
      : '';
  };
  return { el, show };
}

/** The player's balancer: figures, algorithm, tracking, restart; a card per backend. */
function createL4lbPanel(session: Session, lbId: string, _copy: number): RolePanel {
  const sc = session.replica.scenario;
  const spec = sc.file.nodes.find((n) => n.id === lbId);
  const backends =
    spec?.kind === 'l4lb'
      ? spec.backends.map((b) => ({
          id: b.host,
          label: sc.file.nodes.find((n) => n.id === b.host)?.label ?? '',
        }))
      : [];
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
  const hint = h('p', { class: 'muted lb-hint', testid: 'l4lb-algorithm-hint' });
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
  const cards = backends.map((b, i) => backendCard(session, b.id, b.label, i));
  const el = h(
    'section',
    { class: 'card l4lb-panel', testid: 'l4lb-panel', 'aria-label': 'Your load balancer' },
    h('h2', {}, `Your L4 balancer: ${spec?.label || lbId} (${lbId})`),
    h(
      'div',
      { class: 'resolver-figures', 'aria-label': 'Balancer figures' },
      open.el,
      accepted.el,
      refused.el,
      broken.el,
      imbalance.el,
    ),
    h('div', { class: 'row lb-algorithm' }, h('label', { for: 'l4lb-algorithm' }, 'Algorithm'), algorithm),
    hint,
    h(
      'label',
      { class: 'toggle', for: 'l4lb-tracking' },
      tracking,
      ' Keep each connection on its backend (connection tracking)',
    ),
    h('h3', {}, 'Backends'),
    h('div', { class: 'lb-backends' }, ...cards.map((c) => c.el)),
    h(
      'div',
      { class: 'row resolver-actions' },
      flush,
      h('span', { class: 'muted' }, 'A restart forgets every tracked connection.'),
    ),
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
    imbalance.value.textContent = imbalanceText(v);
    if (document.activeElement !== algorithm) algorithm.value = v.algorithm;
    hint.textContent =
      ALGORITHM_HINTS[v.algorithm] + (v.algorithm === 'maglev' ? ` Table size ${v.maglevTableSize}.` : '');
    tracking.checked = v.tracking;
    const shares = loadShares(v.backends);
    v.backends.forEach((b, i) => {
      cards[i]?.show(b, shares[i] ?? 0);
    });
  };
  update();
  return { el, update, nodeClicked: () => {} };
}
