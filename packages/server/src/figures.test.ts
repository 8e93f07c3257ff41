import { linkViews, US_PER_S } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { SimCopy } from './copies.ts';
import { newCopyState, pushSparklines } from './figures.ts';
import { lessonScenario } from './scenarios.ts';

/** Lesson 2 with every seat played by its bot, sampled after `seconds` of simulated time. */
function botCopy() {
  const { scenario } = lessonScenario('lesson-2-mail');
  const copy = new SimCopy(0, scenario, 3);
  for (const n of scenario.file.nodes)
    if (n.kind === 'router')
      copy.enqueue({ cmd: { type: 'router.bot', router: n.id }, senderSessionId: null, request: 'test' });
  return copy;
}

describe('live figures (SPEC MET-2)', () => {
  it('reports latency percentiles, counts, loss and per-link utilisation from the copy itself', () => {
    const copy = botCopy();
    const out = newCopyState(0, copy.sim);
    copy.step(4 * US_PER_S);
    copy.figures.sample(copy.sim, copy.metrics, out);
    const { udp, tcp } = copy.metrics.summary(copy.sim.nowUs);
    expect(out.completed).toBe(udp.delivered + tcp.delivered);
    expect(out.failed).toBe(udp.lost + tcp.lost);
    expect(out.completed).toBeGreaterThan(50);
    expect(out.p50LatencyMs).toBeGreaterThan(0);
    expect(out.p95LatencyMs).toBeGreaterThanOrEqual(out.p50LatencyMs);
    expect(out.goodputKbps).toBeGreaterThan(0);

    // Utilisation over the next second matches the bytes the busier direction sent.
    const before = linkViews(copy.sim).find((l) => l.id === 'l-west-short');
    copy.step(US_PER_S);
    copy.figures.sample(copy.sim, copy.metrics, out);
    const after = linkViews(copy.sim).find((l) => l.id === 'l-west-short');
    if (!before || !after) throw new Error('lesson 2 has a link l-west-short');
    const busiest = Math.max(
      after.dirs[0].txBytes - before.dirs[0].txBytes,
      after.dirs[1].txBytes - before.dirs[1].txBytes,
    );
    const figures = out.links.get('l-west-short');
    expect(figures?.utilPct).toBe(Math.round((100 * busiest * 8) / after.bandwidthBps));
    expect(figures?.utilPct).toBeGreaterThan(0);
    expect(out.links.size).toBe(copy.sim.sc.file.links.length);
  });

  it('keeps the newest SPARKLINE_POINTS points', () => {
    const copy = botCopy();
    const out = newCopyState(0, copy.sim);
    for (let i = 0; i < 70; i++) {
      out.score = i;
      pushSparklines(out);
    }
    expect(out.scoreHistory.length).toBe(60);
    expect(out.scoreHistory.at(0)).toBe(10);
    expect(out.scoreHistory.at(-1)).toBe(69);
  });
});
