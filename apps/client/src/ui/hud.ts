import { type CopyState, SPARKLINE_POINTS } from '@roundtrip/protocol';
import type { GameSession } from '../net/gameSession.ts';
import { h, teamName } from './dom.ts';
import { sparkline } from './sparkline.ts';

/** A player's own score is sampled this often for its sparkline, wall ms. */
const MY_SAMPLE_MS = 1_000;
/** Sparkline colours match the packet colours on the map. */
const UDP_COLOR = '#ffb74d';
const TCP_COLOR = '#4fc3f7';

/**
 * Live figures of one team (copy): scores, then one row per channel — calls
 * (UDP: p50, p95 and frames lost) and web pages (TCP: p50, p95 and requests failed) —
 * so lesson 2's trade-off reads side by side: loss against waiting.
 */
export function hud(session: GameSession, copy: number): { el: HTMLElement; update: () => void } {
  const score = (label: string, testid: string) => {
    const value = h('span', { class: 'stat-value', testid });
    const spark = h('span', { class: 'stat-spark' });
    return {
      value,
      spark,
      el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value, spark),
    };
  };
  const channel = (label: string, lossWord: string, testid: string) => {
    const p50 = h('span', { testid: `${testid}-p50` });
    const p95 = h('span', { testid: `${testid}-p95` });
    const loss = h('span', { testid: `${testid}-${lossWord}` });
    const spark = h('span', { class: 'stat-spark' });
    return {
      p50,
      p95,
      loss,
      spark,
      el: h(
        'div',
        { class: 'stat stat-channel', testid },
        h('span', { class: 'stat-label' }, label),
        h(
          'span',
          { class: 'stat-value' },
          // Unbreakable parts: a narrow HUD wraps between them, never inside one.
          h('span', {}, 'p50 ', p50),
          ' ',
          h('span', {}, h('span', { class: 'muted' }, '· '), 'p95 ', p95),
          ' ',
          h('span', {}, h('span', { class: 'muted' }, `· ${lossWord} `), loss),
        ),
        spark,
      ),
    };
  };
  const mine = score('Your score', 'hud-score');
  const team = score(`${teamName(copy)} score`, 'hud-team-score');
  const udp = channel('Calls (UDP)', 'lost', 'hud-udp');
  const tcp = channel('Web pages (TCP)', 'failed', 'hud-tcp');
  // Lessons whose browsers load pages by name get a row for the whole load, DNS included.
  const page = channel('Page loads (DNS → 200)', 'failed', 'hud-page');
  const flows = session.replica.scenario.file.traffic;
  const loadsByName = flows.some((f) => f.kind === 'tcp' && f.name !== undefined);
  const calls = flows.some((f) => f.kind === 'udp');
  const isPlayer = session.role === 'player';
  const el = h(
    'section',
    { class: 'card hud', 'aria-label': 'Live figures', testid: 'hud' },
    isPlayer ? mine.el : null,
    team.el,
    calls ? udp.el : null,
    tcp.el,
    loadsByName ? page.el : null,
  );
  // The room keeps team histories only; a player's own is sampled here.
  const myHistory: number[] = [];
  let lastSampleMs = 0;
  let lastKey = '';
  const update = () => {
    const c: CopyState | undefined = session.state.copies.at(copy);
    const me = session.state.players.get(session.sessionId);
    mine.value.textContent = me ? String(me.score) : '–';
    const now = performance.now();
    if (me && session.state.phase === 'running' && now - lastSampleMs >= MY_SAMPLE_MS) {
      lastSampleMs = now;
      myHistory.push(me.score);
      if (myHistory.length > SPARKLINE_POINTS) myHistory.shift();
      mine.spark.replaceChildren(sparkline(myHistory, 'your score over time', '#ffc83d'));
    }
    if (!c) return;
    team.value.textContent = String(c.score);
    // A p50 of 0 means nothing was delivered in the window (SPEC MET-2): a dash, not "0 ms".
    udp.p50.textContent = latencyText(c.udpP50LatencyMs, '');
    udp.p95.textContent = latencyText(c.udpP95LatencyMs, ' ms');
    udp.loss.textContent = percent(c.udpLossPct);
    tcp.p50.textContent = latencyText(c.tcpP50LatencyMs, '');
    tcp.p95.textContent = latencyText(c.tcpP95LatencyMs, ' ms');
    tcp.loss.textContent = percent(c.tcpFailPct);
    page.p50.textContent = `${c.pageP50LatencyMs.toFixed(0)}`;
    page.p95.textContent = `${c.pageP95LatencyMs.toFixed(0)} ms`;
    page.loss.textContent = percent(c.pageFailPct);
    const key = `${c.scoreHistory.length}:${c.scoreHistory.at(-1)}:${c.udpP95History.at(-1)}:${c.tcpP95History.at(-1)}`;
    if (key === lastKey) return;
    lastKey = key;
    team.spark.replaceChildren(sparkline(c.scoreHistory.toArray(), 'team score over time', '#7cf29a'));
    udp.spark.replaceChildren(sparkline(c.udpP95History.toArray(), 'calls p95 latency over time', UDP_COLOR));
    tcp.spark.replaceChildren(
      sparkline(c.tcpP95History.toArray(), 'web pages p95 latency over time', TCP_COLOR),
    );
  };
  update();
  return { el, update };
}

/** A share as people read it: one decimal below 10 % (where it matters), whole numbers above. */
export function percent(pct: number): string {
  return `${pct.toFixed(pct > 0 && pct < 10 ? 1 : 0)}\u00a0%`; // never wraps before the sign
}

/** A latency figure, or "—" when there was no sample (the room sends 0 then; no real latency is 0 ms). */
export function latencyText(ms: number, unit: string): string {
  return ms > 0 ? `${ms.toFixed(0)}${unit}` : '—';
}
