import { readFileSync } from 'node:fs';
import { LOSS_REASON_TEXT, loadScenario, packetsInFlight, Simulation } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { Replica } from '../net/replica.ts';
import { PacketInspector } from './packetInspector.ts';
import { NetworkViewModel } from './viewModel.ts';

const scenario = loadScenario(
  readFileSync(new URL('../../../../scenarios/lesson-2-mail.json', import.meta.url), 'utf8'),
  'lesson-2-mail.json',
);

/** A replica of lesson 2 (bots routing; its short cut loses 6 %) after `ticks` ticks, and a way to run more. */
function replicaAfter(ticks: number) {
  const authority = new Simulation(scenario, 3);
  for (const { node } of scenario.seats) authority.apply({ type: 'seat.bot', node });
  const replica = new Replica({ scenario, copy: 0, requestResync: () => {} });
  replica.handleSnapshot({ copy: 0, tick: 0, seed: 3, bytes: authority.snapshot() });
  let tick = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const sim = replica.sim as Simulation;
      replica.handleTick({ copy: 0, tick: ++tick, simTimeUs: sim.nowUs + 50_000, commands: [] });
    }
  };
  run(ticks);
  return { replica, run };
}

describe('packet inspector — SPEC VIEW-5', () => {
  it('VIEW-5: freezes the headers at the click, follows the packet, and says how it ended', () => {
    const { replica, run } = replicaAfter(60);
    const vm = new NetworkViewModel({
      replica,
      linkUtilPct: () => 0,
      timeRate: () => 0,
      myNode: null,
      selectedLink: () => null,
      inspectedPacket: () => null,
    });
    vm.resize(1000, 600);
    // Every packet drawn now, each in an inspector of its own.
    const drawn = vm.frame(0).packets;
    expect(drawn.length).toBeGreaterThan(5);
    const watched = drawn.map((p) => {
      const inspector = new PacketInspector(replica);
      expect(inspector.inspect(p.id)).toBe(true);
      const first = inspector.view();
      return { inspector, first, frozen: JSON.stringify(first?.sections) };
    });
    for (const { inspector, first } of watched) {
      expect(first?.fate).toBe('network');
      expect(inspector.liveId).toBe(first?.id);
      expect(first?.status).toMatch(/^(On|Queued at) .+ · TTL now \d+$/);
    }
    run(2);
    for (const { inspector, frozen } of watched)
      expect(JSON.stringify(inspector.view()?.sections)).toBe(frozen);
    run(200);
    const ends = watched.map(({ inspector }) => inspector.view());
    for (const v of ends) {
      expect(['delivered', 'dropped']).toContain(v?.fate);
      expect(v?.status).toMatch(/^(Delivered by t = |Dropped (on|at) .+ at t = )[\d.]+ ms/);
    }
    expect(watched.every(({ inspector }) => inspector.liveId === null)).toBe(true);
    expect(ends.some((v) => v?.fate === 'delivered')).toBe(true);
    // Closing forgets the packet; the replica ran on regardless (no pause).
    watched[0]?.inspector.close();
    expect(watched[0]?.inspector.view()).toBeNull();
  });

  it('VIEW-5: a drop names the reason its record gives', () => {
    const { replica, run } = replicaAfter(40);
    const inspectors: PacketInspector[] = [];
    // Inspect every packet on the lossy short cut for a while: some are lost on the wire.
    for (let round = 0; round < 40 && !inspectors.some((i) => i.view()?.fate === 'dropped'); round++) {
      const sim = replica.sim as Simulation;
      for (const p of packetsInFlight(sim)) {
        const inspector = new PacketInspector(replica);
        if (inspector.inspect(p.id)) inspectors.push(inspector);
      }
      run(5);
    }
    const dropped = inspectors.map((i) => i.view()).find((v) => v?.fate === 'dropped');
    expect(dropped?.status).toMatch(/^Dropped (on|at) \S+ at t = [\d.]+ ms: /);
    expect(Object.values(LOSS_REASON_TEXT).some((text) => dropped?.status.endsWith(text))).toBe(true);
  });

  it('VIEW-5: a tap picks the nearest packet within the radius, and nothing further away', () => {
    const { replica } = replicaAfter(60);
    const vm = new NetworkViewModel({
      replica,
      linkUtilPct: () => 0,
      timeRate: () => 0,
      myNode: null,
      selectedLink: () => null,
      inspectedPacket: () => null,
    });
    vm.resize(390, 300);
    const packets = vm.frame(0).packets;
    const p = packets[0];
    expect(p).toBeDefined();
    if (!p) return;
    const nearest = (x: number, y: number) =>
      packets.reduce((best, q) =>
        Math.hypot(q.x - x, q.y - y) < Math.hypot(best.x - x, best.y - y) ? q : best,
      );
    expect(vm.pickPacket(p.x + 5, p.y - 5, 22)).toBe(nearest(p.x + 5, p.y - 5).id);
    expect(vm.pickPacket(-100, -100, 22)).toBeNull();
    expect(vm.nextPacket(null)).toBe(p.id);
    expect(vm.nextPacket(p.id)).toBe(packets[1]?.id ?? p.id);
  });
});
