/**
 * The pieces the L4 and L7 balancers' panels share (SPEC LB-UI-1, LB-UI-3): a figure,
 * the algorithm picker's words, and a backend's card in the colour of the map's lines
 * to it, with a load bar, its state, its server and Up / Drain / Down.
 */
import { ADMIN_STATES, type AdminState, type LbAlgorithm, type ServerView, WEIGHT_MAX } from '@roundtrip/sim';
import { h } from '../ui/dom.ts';
import { cssColor } from '../view/balancerDraws.ts';
import {
  type BackendStatus,
  type BalancedUnit,
  backendStateText,
  backendTone,
  loadShares,
  serverText,
} from './lbFigures.ts';

export const ALGORITHM_WORDS: Record<LbAlgorithm, string> = {
  'round-robin': 'Round robin',
  'least-connections': 'Least connections',
  'source-hash': 'Source IP hash',
  'two-choices': 'Two random choices',
  maglev: 'Maglev (consistent hash)',
};

/** One line on what each algorithm does, under its picker: the L4 balancer counts open connections, the L7 one requests in flight. */
export function algorithmHint(a: LbAlgorithm, unit: BalancedUnit): string {
  const load = unit.noun === 'connections' ? 'open connections' : 'requests in flight';
  const hints: Record<LbAlgorithm, string> = {
    'round-robin': 'Each backend in turn, as often as its weight.',
    'least-connections': `The backend with the fewest ${load} per weight.`,
    'source-hash': 'The client’s address picks the backend: the same client, the same backend.',
    'two-choices': `Two backends at random; the one with fewer ${load}.`,
    maglev:
      unit.noun === 'connections'
        ? 'A lookup table of the connection’s addresses and ports: few move when a backend leaves.'
        : 'A lookup table of the client’s address: few clients move when a backend leaves.',
  };
  return hints[a];
}

const STATE_WORDS: Record<AdminState, string> = { up: 'Up', drain: 'Drain', down: 'Down' };

/** A labelled figure of a panel's row of figures. */
export function figure(label: string, testid: string): { el: HTMLElement; value: HTMLElement } {
  const value = h('span', { class: 'stat-value', testid });
  return { el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value), value };
}

export interface BackendCardOptions {
  /** Test ids read `${prefix}-state-${key}` and so on. */
  prefix: string;
  key: string;
  /** The backend's host id and label. */
  id: string;
  label: string;
  color: number;
  /** Names the counts line's test id (`${prefix}-${countsName}-${key}`). */
  countsName: string;
  onState(state: AdminState, button: HTMLButtonElement): void;
  /** Sets its weight; without it the card has no weight field. */
  onWeight?(weight: number, input: HTMLInputElement): void;
}

/** What a backend's card shows now. */
export interface BackendCardFigures {
  admin: AdminState;
  weight: number;
  stateText: string;
  tone: 'good' | 'warn' | 'bad';
  /** Its load against the busiest backend's, 0..1. */
  share: number;
  counts: string;
  server: ServerView | null;
}

/** One backend: its colour (the map's lines to it), state, load bar, counts, server, weight and Up / Drain / Down. */
export function backendCard(o: BackendCardOptions): { el: HTMLElement; show(f: BackendCardFigures): void } {
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const weightId = `${o.prefix}-weight-${o.key}`;
  const weight = o.onWeight
    ? h('input', {
        id: weightId,
        type: 'number',
        min: 0,
        max: WEIGHT_MAX,
        step: 1,
        inputmode: 'numeric',
        testid: weightId,
      })
    : null;
  const onWeight = o.onWeight;
  if (weight && onWeight)
    weight.addEventListener('change', () => {
      const w = Number(weight.value);
      if (!Number.isInteger(w) || w < 0 || w > WEIGHT_MAX) {
        problem.textContent = `A weight is a whole number from 0 to ${WEIGHT_MAX}.`;
        return;
      }
      problem.textContent = '';
      onWeight(w, weight);
    });
  const stateButtons = ADMIN_STATES.map((s) => {
    const b = h(
      'button',
      { type: 'button', class: 'secondary', 'aria-pressed': 'false', testid: `${o.prefix}-${s}-${o.key}` },
      STATE_WORDS[s],
    );
    b.addEventListener('click', () => o.onState(s, b));
    return { state: s, b };
  });
  const state = h('span', { class: 'lb-state', testid: `${o.prefix}-state-${o.key}` });
  const bar = h('span', { class: 'lb-bar-fill', style: `background:${cssColor(o.color)}` });
  const counts = h('span', { class: 'lb-conns', testid: `${o.prefix}-${o.countsName}-${o.key}` });
  const server = h('p', { class: 'lb-server muted', testid: `${o.prefix}-server-${o.key}` });
  const el = h(
    'div',
    {
      class: 'lb-backend',
      testid: `${o.prefix}-backend-${o.key}`,
      role: 'group',
      'aria-label': `Backend ${o.id}`,
    },
    h(
      'div',
      { class: 'lb-backend-head' },
      h('span', { class: 'lb-swatch', style: `background:${cssColor(o.color)}` }),
      h('strong', {}, o.label || o.id),
      o.label ? h('span', { class: 'muted' }, ` (${o.id})`) : null,
      state,
    ),
    h('div', { class: 'lb-bar', 'aria-hidden': 'true' }, bar),
    counts,
    server,
    h(
      'div',
      { class: 'row lb-controls' },
      weight ? h('label', { for: weightId }, 'Weight') : null,
      weight,
      h(
        'span',
        { class: 'lb-states', role: 'group', 'aria-label': `State of ${o.id}` },
        ...stateButtons.map((s) => s.b),
      ),
    ),
    problem,
  );
  const show = (f: BackendCardFigures) => {
    if (weight && document.activeElement !== weight) weight.value = String(f.weight);
    for (const s of stateButtons) s.b.setAttribute('aria-pressed', String(s.state === f.admin));
    state.textContent = f.stateText;
    state.dataset.tone = f.tone;
    bar.style.width = `${Math.round(f.share * 100)}%`;
    counts.textContent = f.counts;
    server.textContent = serverText(f.server);
  };
  return { el, show };
}

/**
 * Shows each backend on its card (by index): its state and tone in `unit`'s words, its bar
 * as a share of the busiest backend's `load` (the work under way), and its `counts` line.
 */
export function showBackends<B extends BackendStatus & { server: ServerView | null }>(
  cards: readonly { show(f: BackendCardFigures): void }[],
  backends: readonly B[],
  unit: BalancedUnit,
  load: (b: B) => number,
  counts: (b: B) => string,
): void {
  const shares = loadShares(backends.map(load));
  backends.forEach((b, i) => {
    cards[i]?.show({
      admin: b.admin,
      weight: b.weight,
      stateText: backendStateText(b, load(b), unit),
      tone: backendTone(b),
      share: shares[i] ?? 0,
      counts: counts(b),
      server: b.server,
    });
  });
}
