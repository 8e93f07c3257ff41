import { linkViews, percentile, type SimRecord, US_PER_S } from '@roundtrip/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimCopy } from './copies.ts';
import { newCopyState, OutcomeWindow, pushSparklines, selectKth } from './figures.ts';
import { lessonScenario } from './scenarios.ts';

/** Lesson 2 with every seat played by its bot, sampled after `seconds` of simulated time. */
function botCopy() {
  const { scenario } = lessonScenario('lesson-2-mail');
  const copy = new SimCopy(0, scenario, 3);
  for (const { node } of scenario.seats)
    copy.enqueue({ cmd: { type: 'seat.bot', node }, senderSessionId: null, request: 'test' });
  return copy;
}

describe('live figures (SPEC MET-2)', () => {
  it('per channel: p50 and p95 latency and loss over the last 10 simulated seconds, from that channel only', () => {
    const w = new OutcomeWindow();
    expect(w.figures(0)).toEqual({ p50LatencyMs: 0, p95LatencyMs: 0, lossPct: 0 });
    w.add(0, 900_000); // leaves the window at 10.5 s
    for (let i = 1; i <= 9; i++) w.add(1_000_000, i * 1_000);
    w.add(2_000_000, null);
    // Nearest rank: p50 the 5th, p95 the 10th of 10 latencies, then the 5th and 9th of 9;
    // 1 lost of 11, then of 10 settled.
    expect(w.figures(10_000_000)).toEqual({ p50LatencyMs: 5, p95LatencyMs: 900, lossPct: 9.1 });
    expect(w.figures(10_500_000)).toEqual({ p50LatencyMs: 5, p95LatencyMs: 9, lossPct: 10 });
    expect(w.figures(12_500_000)).toEqual({ p50LatencyMs: 0, p95LatencyMs: 0, lossPct: 0 });
  });

  it('selectKth gives the sorted list\u2019s k-th value and leaves nothing greater before it, nothing smaller after', () => {
    // Few distinct values (duplicates), long sorted and reversed runs: the cases a partition gets wrong.
    const values = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 300 }),
      fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => i)),
      fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => n - i)),
    );
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 1, noNaN: true }), (list, q) => {
        const k = Math.min(list.length - 1, Math.floor(q * list.length));
        const a = Float64Array.from(list);
        const sorted = [...list].sort((x, y) => x - y);
        expect(selectKth(a, 0, a.length - 1, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(sorted[k] as number);
        for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(sorted[k] as number);
        expect([...a].sort((x, y) => x - y)).toEqual(sorted);
      }),
      { numRuns: 500 },
    );
  });

  it('per channel: past 4,000 outcomes the oldest half goes, the window wraps its ring, and a save loads back the same', () => {
    // The model is the window as it was, an array of objects (PERFORMANCE.md issue 16, fifth round).
    const step = fc.record({
      dtUs: fc.integer({ min: 0, max: 3_000 }),
      latencyUs: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 9_000, maxLength: 12_000 }),
        fc.integer({ min: 50, max: 700 }),
        (steps, every) => {
          const w = new OutcomeWindow();
          let model: { tUs: number; latencyUs: number | null }[] = [];
          let tUs = 0;
          steps.forEach((s, i) => {
            tUs += s.dtUs;
            w.add(tUs, s.latencyUs);
            model.push({ tUs, latencyUs: s.latencyUs });
            if (model.length > 4_000) model.splice(0, 2_000);
            if (i % every !== 0) return;
            model = model.filter((o) => o.tUs >= tUs - 10 * US_PER_S);
            const latencies = model.flatMap((o) => (o.latencyUs === null ? [] : [o.latencyUs]));
            expect(w.figures(tUs)).toEqual({
              p50LatencyMs: Math.round((percentile(latencies, 0.5) / 1000) * 10) / 10,
              p95LatencyMs: Math.round((percentile(latencies, 0.95) / 1000) * 10) / 10,
              lossPct:
                model.length === 0
                  ? 0
                  : Math.round(((100 * (model.length - latencies.length)) / model.length) * 10) / 10,
            });
          });
          const again = new OutcomeWindow();
          again.load(w.save(tUs));
          expect(again.save(tUs)).toEqual(w.save(tUs));
          expect(again.figures(tUs)).toEqual(w.figures(tUs));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('per channel: the figures are the nearest-rank percentiles and loss of the outcomes in the window, whatever the order of adds and samples', () => {
    const outcome = fc.record({
      // Mostly dense (windows of hundreds), sometimes a gap that empties the window.
      dtUs: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 100_000 }), weight: 9 },
        { arbitrary: fc.integer({ min: 0, max: 3_000_000 }), weight: 1 },
      ),
      latencyUs: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
      sample: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 600 }), (steps) => {
        const w = new OutcomeWindow();
        const all: { tUs: number; latencyUs: number | null }[] = [];
        let tUs = 0;
        for (const step of steps) {
          tUs += step.dtUs;
          w.add(tUs, step.latencyUs);
          all.push({ tUs, latencyUs: step.latencyUs });
          if (!step.sample) continue;
          const inWindow = all.filter((o) => o.tUs >= tUs - 10 * US_PER_S);
          const latencies = inWindow.flatMap((o) => (o.latencyUs === null ? [] : [o.latencyUs]));
          const lost = inWindow.length - latencies.length;
          expect(w.figures(tUs)).toEqual({
            p50LatencyMs: Math.round((percentile(latencies, 0.5) / 1000) * 10) / 10,
            p95LatencyMs: Math.round((percentile(latencies, 0.95) / 1000) * 10) / 10,
            lossPct: inWindow.length === 0 ? 0 : Math.round(((100 * lost) / inWindow.length) * 10) / 10,
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a link's drops count what it lost on the wire as well as its queue drops, each also on its own", () => {
    // Lesson 2's short cut loses packets on the wire; its queues rarely fill.
    const copy = botCopy();
    const lostByLink = new Map<number, number>();
    copy.sim.onRecord((r) => {
      if (r.k === 'drop' && (r.reason === 'link-loss' || r.reason === 'link-down'))
        lostByLink.set(r.link, (lostByLink.get(r.link) ?? 0) + 1);
    });
    const out = newCopyState(0, copy.sim);
    copy.step(20 * US_PER_S);
    copy.figures.sample(copy.sim, copy.metrics, out);
    expect([...lostByLink.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    linkViews(copy.sim).forEach((view, i) => {
      const f = out.links.get(view.id);
      expect(f?.lost, view.id).toBe(lostByLink.get(i) ?? 0);
      expect(f?.queueDrops, view.id).toBe(view.dirs[0].drops + view.dirs[1].drops);
      expect(f?.drops, view.id).toBe((f?.lost ?? 0) + (f?.queueDrops ?? 0));
    });
    // A restored copy carries the counts on (SPEC PERSIST-3).
    const tally = copy.figures.save(copy.sim.nowUs);
    const again = new SimCopy(0, lessonScenario('lesson-2-mail').scenario, 3);
    again.figures.load(tally);
    expect(again.figures.save(copy.sim.nowUs).lostByLink).toEqual(tally.lostByLink);
  });

  it('page loads (lesson 3): p50 and p95 of the whole load and the share failed in any phase, DNS included', () => {
    const { scenario } = lessonScenario('lesson-3-url');
    const copy = new SimCopy(0, scenario, 1);
    for (const { node } of scenario.seats)
      copy.enqueue({ cmd: { type: 'seat.bot', node }, senderSessionId: null, request: 'test' });
    const records: SimRecord[] = [];
    copy.sim.onRecord((r) => records.push(r));
    const out = newCopyState(0, copy.sim);
    copy.step(14 * US_PER_S);
    copy.figures.sample(copy.sim, copy.metrics, out);
    const recent = records.filter((r) => r.tUs >= copy.sim.nowUs - 10 * US_PER_S);
    const totals = recent.flatMap((r) => (r.k === 'pageLoad' ? [r.totalUs] : []));
    const failed = recent.filter((r) => r.k === 'pageLoadFailed').length;
    expect(totals.length).toBeGreaterThan(10);
    expect(failed).toBeGreaterThan(0); // the typo's NXDOMAIN
    expect(out.pageP50LatencyMs).toBe(Math.round(percentile(totals, 0.5) / 100) / 10);
    expect(out.pageP95LatencyMs).toBe(Math.round(percentile(totals, 0.95) / 100) / 10);
    expect(out.pageFailPct).toBe(Math.round((1000 * failed) / (totals.length + failed)) / 10);
    // A whole load is longer than its TCP request: the lookup comes first.
    expect(out.pageP50LatencyMs).toBeGreaterThan(out.tcpP50LatencyMs);
  });

  it('reports per-channel figures, counts and per-link utilisation from the copy itself', () => {
    const copy = botCopy();
    const records: SimRecord[] = [];
    copy.sim.onRecord((r) => records.push(r));
    const out = newCopyState(0, copy.sim);
    copy.step(12 * US_PER_S);
    copy.figures.sample(copy.sim, copy.metrics, out);
    const { udp, tcp } = copy.metrics.summary(copy.sim.nowUs);
    expect(out.completed).toBe(udp.delivered + tcp.delivered);
    expect(out.failed).toBe(udp.lost + tcp.lost);
    expect(out.completed).toBeGreaterThan(50);

    // Recomputed by hand from the last 10 s of records.
    const recent = records.filter((r) => r.tUs >= copy.sim.nowUs - 10 * US_PER_S);
    const expectFigures = (delivered: string, lost: string, p95Ms: number, lossPct: number) => {
      const latencies = recent.flatMap((r) => (r.k === delivered && 'latencyUs' in r ? [r.latencyUs] : []));
      const lostCount = recent.filter((r) => r.k === lost).length;
      expect(latencies.length).toBeGreaterThan(0);
      expect(p95Ms).toBe(Math.round(percentile(latencies, 0.95) / 100) / 10);
      expect(lossPct).toBe(Math.round((1000 * lostCount) / (latencies.length + lostCount)) / 10);
    };
    expectFigures('frameDelivered', 'frameLost', out.udpP95LatencyMs, out.udpLossPct);
    expectFigures('requestCompleted', 'requestFailed', out.tcpP95LatencyMs, out.tcpFailPct);
    // Lesson 2's story: calls lose frames but stay quick; web pages lose nothing but wait.
    expect(out.udpLossPct).toBeGreaterThan(0);
    expect(out.tcpP95LatencyMs).toBeGreaterThan(out.udpP95LatencyMs);
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
      out.tcpP95LatencyMs = 2 * i;
      pushSparklines(out);
    }
    expect(out.scoreHistory.length).toBe(60);
    expect(out.tcpP95History.at(-1)).toBe(138);
    expect(out.udpP95History.length).toBe(60);
    expect(out.scoreHistory.at(0)).toBe(10);
    expect(out.scoreHistory.at(-1)).toBe(69);
  });
});
