import { type ResolverView, viewResolver } from '@roundtrip/sim';
import type { GameSession } from '../net/gameSession.ts';
import { h } from '../ui/dom.ts';
import type { RolePanel, RolePanelModule } from './panel.ts';
import { createAnswerControls } from './resolverAnswers.ts';
import { resolverTrends } from './resolverTrends.ts';

/** The resolver role's panel (SPEC DNS-16). */
export const resolverPanel: RolePanelModule = { name: 'resolver', create: createResolverPanel };

/** A figure: its label and the element its value goes in. */
function figure(label: string, testid: string): { el: HTMLElement; value: HTMLElement } {
  const value = h('span', { class: 'stat-value', testid });
  return { el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value), value };
}

/** The TTL clamps as a player types them, whole seconds up to a week. */
function ttlInput(id: string, testid: string): HTMLInputElement {
  return h('input', { id, testid, type: 'number', min: 0, max: 604_800, step: 1, inputmode: 'numeric' });
}

/**
 * The player's resolver: its figures (answers per second, hit ratio, resolution latency
 * p50/p95, stale answers, failures, cache size) and its cache policy (TTL clamps,
 * serve-stale, prefetch), with a button to flush the cache.
 */
function createResolverPanel(session: GameSession, resolverId: string, _copy: number): RolePanel {
  const sc = session.replica.scenario;
  const spec = sc.file.nodes.find((n) => n.id === resolverId);
  const label = spec?.label || resolverId;

  const rate = figure('Answers / s', 'resolver-rate');
  const hitRatio = figure('Hit ratio', 'resolver-hit-ratio');
  const p50 = figure('Latency p50', 'resolver-p50');
  const p95 = figure('Latency p95', 'resolver-p95');
  const stale = figure('Stale answers', 'resolver-stale');
  const failures = figure('Failures (SERVFAIL)', 'resolver-failures');
  const cacheSize = figure('Names cached', 'resolver-cache-size');
  // With data centres: answers naming a dark data centre's host, and the GSLB controls (SPEC GSLB-9).
  const deadAnswers = figure('Answers to dead addresses', 'resolver-dead-answers');
  const answers = createAnswerControls(session, sc);
  const trends = resolverTrends();

  const minTtl = ttlInput('resolver-min-ttl', 'resolver-min-ttl');
  const maxTtl = ttlInput('resolver-max-ttl', 'resolver-max-ttl');
  const serveStale = h('input', {
    type: 'checkbox',
    id: 'resolver-serve-stale',
    testid: 'resolver-serve-stale',
  });
  const prefetch = h('input', { type: 'checkbox', id: 'resolver-prefetch', testid: 'resolver-prefetch' });
  const apply = h('button', { type: 'submit', class: 'primary', testid: 'resolver-apply' }, 'Apply policy');
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const policyForm = h(
    'form',
    { class: 'resolver-policy', 'aria-label': 'Cache policy' },
    h('h3', {}, 'Cache policy'),
    h(
      'p',
      { class: 'muted' },
      'Answers are kept for their TTL, raised to the minimum and lowered to the maximum. TTL 0 is never kept.',
    ),
    h(
      'div',
      { class: 'row' },
      h('div', {}, h('label', { for: 'resolver-min-ttl' }, 'Min TTL (s)'), minTtl),
      h('div', {}, h('label', { for: 'resolver-max-ttl' }, 'Max TTL (s)'), maxTtl),
    ),
    h(
      'label',
      { class: 'toggle', for: 'resolver-serve-stale' },
      serveStale,
      ' Serve stale answers when the authority is silent',
    ),
    h(
      'label',
      { class: 'toggle', for: 'resolver-prefetch' },
      prefetch,
      ' Prefetch popular names before they expire',
    ),
    problem,
    apply,
  );
  // The form shows the policy in force until the player starts editing it.
  let editing = false;
  for (const input of [minTtl, maxTtl, serveStale, prefetch])
    input.addEventListener('input', () => {
      editing = true;
      problem.textContent = '';
    });
  policyForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const min = Number(minTtl.value);
    const max = Number(maxTtl.value);
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 604_800 || min > max) {
      problem.textContent =
        'TTLs are whole seconds, with the minimum at most the maximum (at most 604,800: a week).';
      return;
    }
    session.send(
      'resolver.policy',
      { minTtlS: min, maxTtlS: max, serveStale: serveStale.checked, prefetch: prefetch.checked },
      apply,
    );
    editing = false;
  });
  const flush = h(
    'button',
    { type: 'button', class: 'secondary', testid: 'resolver-flush' },
    'Flush the cache',
  );
  flush.addEventListener('click', () => session.send('resolver.flush', {}, flush));

  const el = h(
    'section',
    { class: 'card resolver-panel', testid: 'resolver-panel', 'aria-label': 'Your resolver' },
    h('h2', {}, `Your resolver: ${label} (${resolverId})`),
    h(
      'div',
      { class: 'resolver-figures', 'aria-label': 'Resolver figures' },
      rate.el,
      hitRatio.el,
      p50.el,
      p95.el,
      stale.el,
      failures.el,
      cacheSize.el,
      sc.file.dataCentres.length > 0 ? deadAnswers.el : null,
    ),
    trends.el,
    policyForm,
    answers?.el,
    h('div', { class: 'row resolver-actions' }, flush),
  );

  const show = (v: ResolverView) => {
    rate.value.textContent = v.queryRatePerS.toFixed(1);
    hitRatio.value.textContent = v.queries === 0 ? '—' : `${Math.round(v.hitRatio * 100)} %`;
    p50.value.textContent = `${v.p50LatencyMs.toFixed(1)} ms`;
    p95.value.textContent = `${v.p95LatencyMs.toFixed(1)} ms`;
    stale.value.textContent = String(v.stale);
    failures.value.textContent = String(v.failures);
    cacheSize.value.textContent = String(v.cacheSize);
    deadAnswers.value.textContent = String(v.deadAnswers);
    answers?.show(v);
    if (editing) return;
    minTtl.value = String(v.policy.minTtlS);
    maxTtl.value = String(v.policy.maxTtlS);
    serveStale.checked = v.policy.serveStale;
    prefetch.checked = v.policy.prefetch;
  };
  const update = () => {
    const sim = session.replica.sim;
    const node = sc.nodeIndex.get(resolverId) ?? -1;
    const state = sim?.st.roles[node];
    if (!sim || state?.role !== 'resolver') return;
    const v = viewResolver(sim, state);
    show(v);
    trends.update(v, sim.nowUs);
  };
  update();
  return { el, update, nodeClicked: () => {} };
}
