import {
  KEEPALIVE_POOL_MAX,
  type L7lbView,
  LB_ALGORITHMS,
  type LbAlgorithm,
  PREFIX_MAX,
  viewL7lb,
} from '@roundtrip/sim';
import type { Session } from '../net/connection.ts';
import { h, renderIfChanged } from '../ui/dom.ts';
import { backendColor, l7ColorIndexes } from '../view/balancerDraws.ts';
import {
  cpuBusyText,
  cpuQueueText,
  handshakesText,
  latencyText,
  poolSizeProblem,
  requestsText,
} from './l7lbFigures.ts';
import { REQUESTS } from './lbFigures.ts';
import { ALGORITHM_WORDS, algorithmHint, backendCard, figure, showBackends } from './lbParts.ts';
import type { RolePanel, RolePanelModule } from './panel.ts';

/** The L7 load balancer's panel (SPEC LB-L7-7, LB-L7-9, LB-UI-3, LB-UI-4). */
export const l7lbPanel: RolePanelModule = { name: 'L7 balancer', create: createL7lbPanel };

function poolSelect(pools: readonly string[], attrs: Record<string, string>): HTMLSelectElement {
  return h('select', attrs, ...pools.map((p) => h('option', { value: p }, p)));
}

/**
 * The path rules: one row per rule (its pool picker repoints it, Delete removes it) and
 * a row to add one. The prefix typed stays when the server refuses it (MSG-8).
 */
function rulesEditor(session: Session, pools: readonly string[]) {
  const list = h('ul', { class: 'l7-rules', testid: 'l7lb-rules', 'aria-label': 'Path rules' });
  const prefix = h('input', {
    id: 'l7lb-rule-prefix',
    type: 'text',
    placeholder: '/api',
    maxlength: PREFIX_MAX,
    autocomplete: 'off',
    testid: 'l7lb-rule-prefix',
  });
  const pool = poolSelect(pools, { id: 'l7lb-rule-pool', testid: 'l7lb-rule-pool', 'aria-label': 'Pool' });
  const add = h('button', { type: 'submit', testid: 'l7lb-rule-add' }, 'Add rule');
  const problem = h('p', { class: 'form-error', role: 'alert', testid: 'l7lb-rule-error' });
  const form = h(
    'form',
    { class: 'row l7-rule-add' },
    h('label', { for: 'l7lb-rule-prefix' }, 'Path'),
    prefix,
    h('span', { 'aria-hidden': 'true' }, '→'),
    pool,
    add,
  );
  /** The rule last sent from the form: the field clears once it is in force. */
  let pending: { prefix: string; pool: string } | null = null;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = prefix.value.trim();
    if (!text.startsWith('/')) {
      problem.textContent = 'A path starts with "/", such as /api.';
      return;
    }
    problem.textContent = '';
    pending = { prefix: text, pool: pool.value };
    session.send('l7lb.rule', pending, prefix);
  });
  const show = (v: L7lbView) => {
    const key = v.rules.map((r) => `${r.prefix}\n${r.pool}`).join('\n');
    renderIfChanged(list, key, () =>
      v.rules.length === 0
        ? [h('li', { class: 'muted' }, 'No rules: every request is refused (no route).')]
        : v.rules.map((r) => {
            const repoint = poolSelect(pools, {
              'aria-label': `Pool for ${r.prefix}`,
              testid: 'l7lb-rule-repoint',
            });
            repoint.value = r.pool;
            repoint.addEventListener('change', () =>
              session.send('l7lb.rule', { prefix: r.prefix, pool: repoint.value }, repoint),
            );
            const del = h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                testid: 'l7lb-rule-delete',
                'aria-label': `Delete rule ${r.prefix}`,
              },
              'Delete',
            );
            del.addEventListener('click', () => session.send('l7lb.ruleDelete', { prefix: r.prefix }, del));
            return h(
              'li',
              { class: 'row l7-rule', testid: 'l7lb-rule', 'data-prefix': r.prefix },
              h('code', {}, r.prefix),
              h('span', { 'aria-hidden': 'true' }, '→'),
              repoint,
              del,
            );
          }),
    );
    // Each rule's picker shows the pool in force (a repoint the server refused goes back).
    for (const row of list.querySelectorAll<HTMLElement>('[data-testid="l7lb-rule"]')) {
      const select = row.querySelector('select');
      const rule = v.rules.find((r) => r.prefix === row.dataset.prefix);
      if (select && rule && document.activeElement !== select) select.value = rule.pool;
    }
    // The rule sent is in force: the field clears (unless it was typed over since); a refused one keeps it (MSG-8).
    const sent = pending;
    if (sent && v.rules.some((r) => r.prefix === sent.prefix && r.pool === sent.pool)) {
      pending = null;
      if (prefix.value.trim() === sent.prefix) prefix.value = '';
    }
  };
  return { el: h('div', { class: 'l7-rules-editor' }, list, form, problem), show };
}

/** One pool: its figures, algorithm and a card per backend in the colours of the map's lines to them. */
function poolSection(
  session: Session,
  lbId: string,
  poolIndex: number,
  pool: { name: string; backends: { id: string; label: string }[] },
  colorIndexes: readonly number[],
) {
  const name = pool.name;
  const latency = figure('Mean latency', `l7lb-latency-${name}`);
  const requests = figure('Requests', `l7lb-requests-${name}`);
  const handshakes = figure('Handshakes', `l7lb-handshakes-${name}`);
  const selectId = `l7lb-algorithm-${name}`;
  const algorithm = h(
    'select',
    { id: selectId, testid: selectId },
    ...LB_ALGORITHMS.map((a) => h('option', { value: a }, ALGORITHM_WORDS[a])),
  );
  algorithm.addEventListener('change', () =>
    session.send('l7lb.algorithm', { pool: name, algorithm: algorithm.value as LbAlgorithm }, algorithm),
  );
  const hint = h('p', { class: 'muted lb-hint', testid: `l7lb-algorithm-hint-${name}` });
  const cards = pool.backends.map((b, i) =>
    backendCard({
      prefix: 'l7lb',
      key: `${name}-${b.id}`,
      id: b.id,
      label: b.label,
      color: backendColor(colorIndexes[i] ?? i),
      countsName: 'reqs',
      onState: (state, button) => session.send('l7lb.backend', { pool: name, backend: b.id, state }, button),
    }),
  );
  const el = h(
    'section',
    { class: 'l7-pool', testid: `l7lb-pool-${name}`, 'aria-label': `Pool ${name} of ${lbId}` },
    h('h3', {}, `Pool ${name}`),
    h(
      'div',
      { class: 'resolver-figures', 'aria-label': `Figures of pool ${name}` },
      latency.el,
      requests.el,
      handshakes.el,
    ),
    h('div', { class: 'row lb-algorithm' }, h('label', { for: selectId }, 'Algorithm'), algorithm),
    hint,
    h('div', { class: 'lb-backends' }, ...cards.map((c) => c.el)),
  );
  const show = (v: L7lbView) => {
    const p = v.pools[poolIndex];
    if (!p) return;
    latency.value.textContent = latencyText(p);
    requests.value.textContent = requestsText(p);
    handshakes.value.textContent = handshakesText(p);
    if (document.activeElement !== algorithm) algorithm.value = p.algorithm;
    hint.textContent = algorithmHint(p.algorithm, REQUESTS);
    showBackends(
      cards,
      p.backends,
      REQUESTS,
      (b) => b.inflight,
      (b) =>
        `${b.inflight} in flight · ${b.total} total · ` +
        `${b.idle} idle, ${b.busy} busy connections · ${b.saved} handshakes saved`,
    );
  };
  return { el, show };
}

/** The player's L7 balancer: figures and CPU, path rules, sticky sessions, keep-alive pool, and each pool. */
function createL7lbPanel(session: Session, lbId: string, _copy: number): RolePanel {
  const sc = session.replica.scenario;
  const spec = sc.file.nodes.find((n) => n.id === lbId);
  const label = (id: string) => sc.file.nodes.find((n) => n.id === id)?.label ?? '';
  const pools =
    spec?.kind === 'l7lb'
      ? spec.pools.map((p) => ({
          name: p.name,
          backends: p.backends.map((b) => ({ id: b.host, label: label(b.host) })),
        }))
      : [];
  const routed = figure('Requests routed', 'l7lb-routed');
  const refused = figure('Refused', 'l7lb-refused');
  const saved = figure('Handshakes saved', 'l7lb-saved');
  const misses = figure('Sticky misses', 'l7lb-sticky-misses');
  const cpuBusy = figure('CPU busy', 'l7lb-cpu-busy');
  const cpuQueue = figure('CPU queue', 'l7lb-cpu-queue');
  const rules = rulesEditor(
    session,
    pools.map((p) => p.name),
  );
  const sticky = h('input', { type: 'checkbox', id: 'l7lb-sticky', testid: 'l7lb-sticky' });
  // Until the replica shows the change (or 2 s pass, a refusal), the box keeps what was clicked.
  let stickyClickedUntilMs = 0;
  sticky.addEventListener('change', () => {
    stickyClickedUntilMs = performance.now() + 2_000;
    session.send('l7lb.sticky', { on: sticky.checked }, sticky);
  });
  const stickyNote = h('span', { class: 'muted', testid: 'l7lb-sessions' });
  const size = h('input', {
    id: 'l7lb-pool-size',
    type: 'number',
    min: 0,
    max: KEEPALIVE_POOL_MAX,
    step: 1,
    inputmode: 'numeric',
    testid: 'l7lb-pool-size',
  });
  const sizeProblem = h('p', { class: 'form-error', role: 'alert', testid: 'l7lb-pool-size-error' });
  size.addEventListener('change', () => {
    const problem = poolSizeProblem(size.value, KEEPALIVE_POOL_MAX);
    sizeProblem.textContent = problem ?? '';
    if (!problem) session.send('l7lb.poolSize', { size: Number(size.value) }, size);
  });
  const colors = l7ColorIndexes(pools);
  const sections = pools.map((p, i) => poolSection(session, lbId, i, p, colors[i] ?? []));
  const el = h(
    'section',
    { class: 'card l7lb-panel', testid: 'l7lb-panel', 'aria-label': 'Your L7 load balancer' },
    h('h2', {}, `Your L7 balancer: ${spec?.label || lbId} (${lbId})`),
    h(
      'div',
      { class: 'resolver-figures', 'aria-label': 'Balancer figures' },
      routed.el,
      refused.el,
      saved.el,
      misses.el,
      cpuBusy.el,
      cpuQueue.el,
    ),
    h('h3', {}, 'Path rules'),
    h(
      'p',
      { class: 'muted lb-hint' },
      'A request goes to the pool of the longest prefix its path starts with; a path no rule takes is refused.',
    ),
    rules.el,
    h(
      'div',
      { class: 'row l7-settings' },
      h('label', { class: 'toggle', for: 'l7lb-sticky' }, sticky, ' Sticky sessions (cookie → backend)'),
      stickyNote,
    ),
    h(
      'div',
      { class: 'row l7-settings' },
      h('label', { for: 'l7lb-pool-size' }, 'Keep-alive pool: idle connections per backend'),
      size,
    ),
    sizeProblem,
    ...sections.map((s) => s.el),
  );
  const update = () => {
    const sim = session.replica.sim;
    const state = sim?.st.roles[sc.nodeIndex.get(lbId) ?? -1];
    if (!sim || state?.role !== 'l7lb') return;
    const v = viewL7lb(sim, state);
    routed.value.textContent = String(v.routed);
    refused.value.textContent = String(v.refused);
    saved.value.textContent = String(v.handshakesSaved);
    misses.value.textContent = String(v.stickyMisses);
    cpuBusy.value.textContent = cpuBusyText(v.cpu);
    cpuQueue.value.textContent = cpuQueueText(v.cpu);
    rules.show(v);
    if (v.sticky === sticky.checked) stickyClickedUntilMs = 0;
    else if (performance.now() >= stickyClickedUntilMs) sticky.checked = v.sticky;
    stickyNote.textContent = v.sticky ? `${v.sessions} sessions bound` : '';
    // A size refused in the panel stays as typed beside its sentence (MSG-8).
    if (document.activeElement !== size && !sizeProblem.textContent) size.value = String(v.poolSize);
    for (const s of sections) s.show(v);
  };
  update();
  return { el, update, nodeClicked: () => {} };
}
