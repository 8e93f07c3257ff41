import { type CopyState, SPARKLINE_POINTS } from '@roundtrip/protocol';
import type { Session } from '../net/connection.ts';
import { h, teamName } from './dom.ts';
import { sparkline } from './sparkline.ts';

/** A player's own score is sampled this often for its sparkline, wall ms. */
const MY_SAMPLE_MS = 1_000;

/** Live figures of one team (copy): score, latency p50/p95, loss, each with its sparkline. */
export function hud(session: Session, copy: number): { el: HTMLElement; update: () => void } {
  const stat = (label: string, testid: string) => {
    const value = h('span', { class: 'stat-value', testid });
    const spark = h('span', { class: 'stat-spark' });
    return {
      value,
      spark,
      el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value, spark),
    };
  };
  const mine = stat('Your score', 'hud-score');
  const team = stat(`${teamName(copy)} score`, 'hud-team-score');
  const p50 = stat('Latency p50', 'hud-p50');
  const p95 = stat('Latency p95', 'hud-p95');
  const loss = stat('Loss', 'hud-loss');
  const isPlayer = session.role === 'player';
  const el = h(
    'section',
    { class: 'card hud', 'aria-label': 'Live figures', testid: 'hud' },
    isPlayer ? mine.el : null,
    team.el,
    loss.el,
    p50.el,
    p95.el,
  );
  // The room keeps team histories only; a player's own is sampled here.
  const myHistory: number[] = [];
  let lastSampleMs = 0;
  let lastKey = '';
  const update = () => {
    const c: CopyState | undefined = session.state.copies.at(copy);
    const me = session.state.players.get(session.room.sessionId);
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
    p50.value.textContent = `${c.p50LatencyMs.toFixed(0)} ms`;
    p95.value.textContent = `${c.p95LatencyMs.toFixed(0)} ms`;
    loss.value.textContent = `${c.lossPct.toFixed(1)} %`;
    const key = `${c.scoreHistory.length}:${c.scoreHistory.at(-1)}:${c.p95History.at(-1)}:${c.lossHistory.at(-1)}`;
    if (key === lastKey) return;
    lastKey = key;
    team.spark.replaceChildren(sparkline(c.scoreHistory.toArray(), 'team score over time', '#7cf29a'));
    p95.spark.replaceChildren(sparkline(c.p95History.toArray(), 'p95 latency over time', '#4fc3f7'));
    loss.spark.replaceChildren(sparkline(c.lossHistory.toArray(), 'loss over time', '#ff8a80'));
  };
  update();
  return { el, update };
}
