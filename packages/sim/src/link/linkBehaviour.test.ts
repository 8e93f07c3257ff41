import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { MetricsCollector } from '../observation/metrics.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_FRAME } from '../testing/lineScenario.ts';

/** Runs UDP frames over the r1—r2 link with `mid` impairments; returns the UDP metrics. */
function udpOver(mid: Record<string, unknown>, frame: Record<string, unknown>, seconds: number, seed = 1) {
  const file = lineScenario({
    traffic: [{ ...ONE_FRAME, stopS: seconds, deadlineMs: 5_000, ...frame }],
    mid,
  });
  const sim = new Simulation(loadScenario(file, 'links.json'), seed);
  const metrics = new MetricsCollector();
  const records: SimRecord[] = [];
  sim.onRecord((r) => {
    metrics.add(r);
    records.push(r);
  });
  sim.advanceTo((seconds + 10) * 1_000_000);
  return { udp: metrics.summary(seconds * 1_000_000).udp, records };
}

const band = (p: number, n: number, vif: number) => 4 * Math.sqrt((vif * p * (1 - p)) / n);

describe('links in the simulation', () => {
  it('Bernoulli loss on a link matches its rate — SPEC LINK-3, LINK-5', () => {
    const { udp } = udpOver({ loss: 0.05 }, { intervalMs: 5 }, 200);
    expect(udp.sent).toBe(40_000);
    expect(Math.abs(udp.lost / udp.sent - 0.05)).toBeLessThanOrEqual(band(0.05, udp.sent, 1));
  });

  it('a loss rate set by command on a lossless link takes effect — SPEC LINK-3, LINK-5, SIM-8', () => {
    // A lossless link's hops skip its loss model through a derived table: the command must update it.
    const file = lineScenario({ traffic: [{ ...ONE_FRAME, stopS: 200, intervalMs: 5, deadlineMs: 5_000 }] });
    const sim = new Simulation(loadScenario(file, 'links.json'), 1);
    const metrics = new MetricsCollector();
    sim.onRecord((r) => metrics.add(r));
    expect(sim.apply({ type: 'link.loss', link: 'l-mid', loss: 0.05 })).toBeNull();
    sim.advanceTo(210 * 1_000_000);
    const udp = metrics.summary(200 * 1_000_000).udp;
    expect(udp.sent).toBe(40_000);
    expect(Math.abs(udp.lost / udp.sent - 0.05)).toBeLessThanOrEqual(band(0.05, udp.sent, 1));
  });

  it('Gilbert-Elliott loss on a link matches its steady state — SPEC LINK-5', () => {
    const lossModel = { kind: 'gilbertElliott', p: 0.02, r: 0.25 };
    const { udp } = udpOver({ lossModel }, { intervalMs: 5 }, 200);
    const p = 0.02 / 0.27;
    expect(Math.abs(udp.lost / udp.sent - p)).toBeLessThanOrEqual(band(p, udp.sent, (2 - 0.27) / 0.27));
  });

  it('jitter larger than the packet spacing reorders; netem releases in time-to-send order — SPEC LINK-6', () => {
    const { udp } = udpOver({ jitterMs: 20 }, { intervalMs: 2 }, 10);
    expect(udp.reordered).toBeGreaterThan(100);
    expect(udp.delivered).toBe(udp.sent);
  });

  it('jitter smaller than the spacing, or a link that keeps order, never reorders — SPEC LINK-6', () => {
    expect(udpOver({ jitterMs: 10 }, { intervalMs: 25 }, 10).udp.reordered).toBe(0);
    const ordered = udpOver({ jitterMs: 20, jitterReorders: false }, { intervalMs: 2 }, 10).udp;
    expect(ordered.reordered).toBe(0);
    expect(ordered.delivered).toBe(ordered.sent);
  });

  it('duplicated packets reach the UDP application as duplicates — SPEC LINK-7, TRF-1', () => {
    const { udp } = udpOver({ duplicate: 0.1 }, { intervalMs: 5 }, 100);
    expect(udp.delivered).toBe(udp.sent);
    expect(Math.abs(udp.duplicates / udp.sent - 0.1)).toBeLessThanOrEqual(band(0.1, udp.sent, 1));
  });

  it('a loss model can apply to one direction only — SPEC LINK-5', () => {
    const back = {
      ...ONE_FRAME,
      id: 'back',
      from: 'h-b',
      to: 'h-a',
      stopS: 20,
      intervalMs: 5,
      deadlineMs: 5_000,
    };
    const file = lineScenario({
      traffic: [{ ...ONE_FRAME, stopS: 20, intervalMs: 5, deadlineMs: 5_000 }, back],
      mid: { loss: 0.2, lossDirection: 'ab' },
    });
    const sim = new Simulation(loadScenario(file, 'links.json'), 4);
    const lostByFlow = [0, 0];
    sim.onRecord((r) => {
      if (r.k === 'frameLost') lostByFlow[r.flow] = (lostByFlow[r.flow] ?? 0) + 1;
    });
    sim.advanceTo(30_000_000);
    expect(lostByFlow[0]).toBeGreaterThan(600);
    expect(lostByFlow[1]).toBe(0);
  });

  it('a frame lost on the wire is settled at its deadline with the loss reason — SPEC TRF-1', () => {
    const { records } = udpOver({ dropScript: { ab: [1] } }, { deadlineMs: 300 }, 0.001);
    expect(records.find((r) => r.k === 'frameLost')).toMatchObject({
      reason: 'link-loss',
      at: 'l-mid',
      tUs: 300_001,
    });
  });
});
