import {
  ANSWER_POLICIES,
  type AnswerPolicy,
  type AnswerPolicyName,
  type ResolverView,
  type Scenario,
} from '@roundtrip/sim';
import type { GameSession } from '../net/gameSession.ts';
import { h, renderIfChanged } from '../ui/dom.ts';

/** Words for each policy, as the select shows them. */
const POLICY_TEXT: Record<AnswerPolicyName, string> = {
  latency: 'Latency: nearest data centre',
  geo: 'Geo: same region',
  weighted: 'Weighted split',
  failover: 'Failover: first healthy in order',
  fixed: 'Fixed: one data centre',
};

/** One region's policy in words: "failover dc-west → dc-east". */
function describe(p: AnswerPolicy, dcLabel: (id: string) => string): string {
  if (p.policy === 'fixed') return `fixed: ${dcLabel(p.dc ?? '')}`;
  if (p.policy === 'failover') return `failover: ${(p.order ?? []).map(dcLabel).join(' → ')}`;
  if (p.policy === 'weighted')
    return `weighted: ${Object.entries(p.weights ?? {})
      .filter(([, w]) => w > 0)
      .map(([id, w]) => `${dcLabel(id)} ${w}`)
      .join(', ')}`;
  return p.policy;
}

/**
 * The resolver's GSLB controls and figures (SPEC GSLB-7, GSLB-9): each region's answer
 * policy in force, a form to set one region's (latency, geo, weighted with a weight per
 * data centre, failover with an order, or a data centre chosen by hand), and each data
 * centre's health as the resolver's probes see it. Null when the scenario has no GSLB.
 */
export function createAnswerControls(
  session: GameSession,
  sc: Scenario,
): { el: HTMLElement; show: (v: ResolverView) => void } | null {
  const regions = sc.file.regions;
  const dcs = sc.file.dataCentres;
  if (sc.file.gslb.length === 0 || regions.length === 0 || dcs.length === 0) return null;
  const dcLabel = (id: string) => dcs.find((d) => d.id === id)?.label || id;
  const option = (value: string, text: string) => h('option', { value }, text);

  const region = h(
    'select',
    { id: 'resolver-answer-region', testid: 'resolver-answer-region' },
    ...regions.map((r) => option(r.id, r.label || r.id)),
  );
  const policy = h(
    'select',
    { id: 'resolver-answer-policy', testid: 'resolver-answer-policy' },
    ...ANSWER_POLICIES.map((p) => option(p, POLICY_TEXT[p])),
  );
  const fixedDc = h(
    'select',
    { id: 'resolver-answer-dc', testid: 'resolver-answer-dc' },
    ...dcs.map((d) => option(d.id, d.label || d.id)),
  );
  const weights = dcs.map((d) =>
    h('input', {
      id: `resolver-weight-${d.id}`,
      testid: `resolver-weight-${d.id}`,
      type: 'number',
      min: 0,
      max: 1000,
      step: 1,
      value: 1,
      inputmode: 'numeric',
    }),
  );
  const order = dcs.map((_, i) =>
    h(
      'select',
      { id: `resolver-order-${i}`, testid: `resolver-order-${i}`, 'aria-label': `Choice ${i + 1}` },
      ...dcs.map((d) => option(d.id, d.label || d.id)),
    ),
  );
  order.forEach((s, i) => {
    s.value = dcs[i]?.id ?? '';
  });
  const fixedRow = h('div', {}, h('label', { for: 'resolver-answer-dc' }, 'Data centre'), fixedDc);
  const weightsRow = h(
    'div',
    { class: 'row' },
    ...dcs.map((d, i) =>
      h('div', {}, h('label', { for: `resolver-weight-${d.id}` }, `Weight ${d.label || d.id}`), weights[i]),
    ),
  );
  const orderRow = h(
    'div',
    { class: 'row' },
    ...order.map((s, i) => h('div', {}, h('label', { for: s.id }, i === 0 ? 'First' : `Then (${i + 1})`), s)),
  );
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const apply = h(
    'button',
    { type: 'submit', class: 'primary', testid: 'resolver-answer-apply' },
    'Set answer',
  );
  // `.row` is a flex box, which `hidden` alone does not hide.
  const showFields = () => {
    fixedRow.style.display = policy.value === 'fixed' ? '' : 'none';
    weightsRow.style.display = policy.value === 'weighted' ? '' : 'none';
    orderRow.style.display = policy.value === 'failover' ? '' : 'none';
  };
  showFields();

  const current = h('ul', {
    class: 'resolver-answers',
    testid: 'resolver-answers',
    'aria-label': 'Answers per region',
  });
  const health = h('ul', {
    class: 'resolver-health',
    testid: 'resolver-health',
    'aria-label': 'Data centre health',
  });
  const form = h(
    'form',
    { class: 'resolver-policy resolver-answer', 'aria-label': 'Answer policy per region' },
    h('h3', {}, 'Answers per region (GSLB)'),
    h(
      'p',
      { class: 'muted' },
      `${sc.file.gslb.map((s) => s.name).join(', ')}: which data centre each region's clients are sent to.`,
    ),
    current,
    // One above the other: the policies' names are too long for half a panel.
    h('div', {}, h('label', { for: 'resolver-answer-region' }, 'Region'), region),
    h('div', {}, h('label', { for: 'resolver-answer-policy' }, 'Policy'), policy),
    fixedRow,
    weightsRow,
    orderRow,
    problem,
    apply,
    h('h3', {}, 'Data centre health'),
    health,
  );

  // The form shows the chosen region's policy in force until the player edits it.
  let editing = false;
  let last: ResolverView | null = null;
  const fill = (p: AnswerPolicy | undefined) => {
    if (!p) return;
    policy.value = p.policy;
    if (p.dc) fixedDc.value = p.dc;
    dcs.forEach((d, i) => {
      (weights[i] as HTMLInputElement).value = String(p.weights?.[d.id] ?? (p.policy === 'weighted' ? 0 : 1));
    });
    if (p.order)
      order.forEach((s, i) => {
        s.value = p.order?.[i] ?? s.value;
      });
    showFields();
  };
  region.addEventListener('change', () => {
    editing = false;
    problem.textContent = '';
    fill(last?.answers.find((a) => a.region === region.value));
  });
  for (const input of [policy, fixedDc, ...weights, ...order])
    input.addEventListener('input', () => {
      editing = true;
      problem.textContent = '';
      showFields();
    });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = policy.value as AnswerPolicyName;
    const base = { region: region.value, policy: p };
    if (p === 'fixed') return send({ ...base, dc: fixedDc.value });
    if (p === 'weighted') {
      const values = weights.map((w) => Number(w.value));
      if (values.some((w) => !(w >= 0 && w <= 1000)) || !values.some((w) => w > 0)) {
        problem.textContent = 'Weights are numbers from 0 to 1000, at least one above 0.';
        return;
      }
      return send({ ...base, weights: Object.fromEntries(dcs.map((d, i) => [d.id, values[i] as number])) });
    }
    if (p === 'failover') {
      const chosen = order.map((s) => s.value);
      if (new Set(chosen).size !== chosen.length) {
        problem.textContent = 'Each data centre once: choose a different one for each place.';
        return;
      }
      return send({ ...base, order: chosen });
    }
    send(base);
  });
  function send(payload: AnswerPolicy): void {
    session.send('resolver.answer', payload, apply);
    editing = false;
  }

  const show = (v: ResolverView) => {
    last = v;
    renderIfChanged(current, JSON.stringify(v.answers), () =>
      v.answers.map((a) =>
        h(
          'li',
          {},
          h('strong', {}, regions.find((r) => r.id === a.region)?.label || a.region),
          ` — ${describe(a, dcLabel)}`,
        ),
      ),
    );
    renderIfChanged(health, JSON.stringify(v.dcHealth), () =>
      v.dcHealth.map((d) =>
        h(
          'li',
          { class: d.up ? 'health-up' : 'health-down', testid: `resolver-health-${d.dc}` },
          h('strong', {}, d.label || d.dc),
          d.up ? ' — up' : ' — down',
          d.misses > 0 ? ` (${d.misses} probe${d.misses === 1 ? '' : 's'} missed)` : '',
          d.dark ? ' · dark: an outage' : '',
        ),
      ),
    );
    if (!editing) fill(v.answers.find((a) => a.region === region.value));
  };
  return { el: form, show };
}
