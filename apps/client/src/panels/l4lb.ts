import { LB_ALGORITHMS, type LbAlgorithm, viewL4lb } from '@roundtrip/sim';
import type { Session } from '../net/connection.ts';
import { h } from '../ui/dom.ts';
import { backendColor } from '../view/balancerDraws.ts';
import { CONNECTIONS, imbalanceText } from './lbFigures.ts';
import { ALGORITHM_WORDS, algorithmHint, backendCard, figure, showBackends } from './lbParts.ts';
import type { RolePanel, RolePanelModule } from './panel.ts';

/** The L4 load balancer's panel (SPEC LB-L4-5, LB-UI-1, LB-UI-2). */
export const l4lbPanel: RolePanelModule = { name: 'L4 balancer', create: createL4lbPanel };

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
  const cards = backends.map((b, i) =>
    backendCard({
      prefix: 'l4lb',
      key: b.id,
      id: b.id,
      label: b.label,
      color: backendColor(i),
      countsName: 'conns',
      onState: (state, button) => session.send('l4lb.backend', { backend: b.id, state }, button),
      onWeight: (weight, input) => session.send('l4lb.weight', { backend: b.id, weight }, input),
    }),
  );
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
      algorithmHint(v.algorithm, CONNECTIONS) +
      (v.algorithm === 'maglev' ? ` Table size ${v.maglevTableSize}.` : '');
    tracking.checked = v.tracking;
    showBackends(
      cards,
      v.backends,
      CONNECTIONS,
      (b) => b.open,
      (b) => `${b.open} open · ${b.total} total · ${b.broken} broken`,
    );
  };
  update();
  return { el, update, nodeClicked: () => {} };
}
