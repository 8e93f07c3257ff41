import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { BURST_20_FRAMES as BURST, lineScenario } from '../testing/lineScenario.ts';
import { type LinkCounters, linkViews, readLinkCounters } from './views.ts';

describe('readLinkCounters — SPEC MET-2', () => {
  it("reads every link's figures as linkViews does, at instants with packets committed, on the wire and delivered", () => {
    const file = lineScenario({ traffic: [BURST], mid: { bandwidthKbps: 80 }, queuePackets: 10 });
    const sim = new Simulation(loadScenario(file, 'counters.json'), 1);
    const out: LinkCounters = { up: false, bandwidthBps: 0, txBytes: [0, 0], queuePackets: [0, 0], drops: 0 };
    let sawQueued = false;
    let sawPartlySent = false;
    for (const atUs of [0, 1_000_500, 1_050_000, 1_150_000, 1_305_000, 2_000_000, 3_500_000]) {
      sim.advanceTo(atUs);
      linkViews(sim).forEach((view, i) => {
        readLinkCounters(sim, i, out);
        expect(out.up).toBe(view.up);
        expect(out.bandwidthBps).toBe(view.bandwidthBps);
        expect(out.txBytes).toEqual([view.dirs[0].txBytes, view.dirs[1].txBytes]);
        expect(out.queuePackets).toEqual([view.dirs[0].queuePackets, view.dirs[1].queuePackets]);
        expect(out.drops).toBe(view.dirs[0].drops + view.dirs[1].drops);
        if (view.dirs[0].queuePackets > 0) sawQueued = true;
        if (view.dirs[0].queuePackets > 0 && view.dirs[0].txBytes > 0) sawPartlySent = true;
      });
    }
    // The instants cover what the two must agree on: packets committed but not yet sent, and some sent.
    expect(sawQueued).toBe(true);
    expect(sawPartlySent).toBe(true);
    expect(linkViews(sim)[1]?.dirs[0].drops).toBeGreaterThan(0);
  });
});
