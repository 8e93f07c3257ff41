import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import type { Packet } from './state.ts';
import {
  createWire,
  duplicate,
  F_S,
  F_T,
  flagsOf,
  freeSlot,
  I_DST,
  I_LINK,
  I_TTL,
  ISTRIDE,
  inject,
  pathOf,
  pushPath,
  release,
  STRIDE,
  WHEEL_MAX_US,
  wheelPeekSeq,
  wheelPeekTimeUs,
  wheelPop,
  wheelPush,
  wheelSlots,
  wheelSpanUs,
  wireFromPlain,
  wireToPlain,
} from './wire.ts';

function packet(id: number, path: number[] = []): Packet {
  return {
    id,
    channel: 'udp',
    srcAddr: 1,
    dstAddr: 0x0a02000a,
    srcPort: 50_000,
    dstPort: 5004,
    flags: 0,
    seq: 0,
    ack: 0,
    wnd: 0,
    len: 100,
    sizeBytes: 128,
    ttl: 64,
    flow: 0,
    unit: id,
    createdUs: 0,
    path,
  };
}

describe('packets in slots — SPEC SIM-7', () => {
  it('refuses to free a slot twice, and frees a slot taken again — SPEC SIM-6', () => {
    const w = createWire();
    const slot = inject(w, packet(1, [7]));
    release(w, slot, false);
    expect(() => freeSlot(w, slot)).toThrow(/freed once/); // SPEC SIM-6
    expect(w.freeSlots).toEqual([slot]); // in the pool once: it is handed out once
    const again = inject(w, packet(2));
    expect(again).toBe(slot);
    freeSlot(w, again);
    expect(w.freeSlots).toEqual([slot]);
  });

  it('gives a packet its TTL and path back when it leaves, and reuses its slot', () => {
    const w = createWire();
    const slot = inject(w, packet(1, [7]));
    expect(w.ints[slot * ISTRIDE + I_DST]).toBe(0x0a02000a);
    w.ints[slot * ISTRIDE + I_TTL] = 61;
    pushPath(w, slot, 3);
    pushPath(w, slot, 5);
    expect(pathOf(w, slot)).toEqual([7, 3, 5]);
    const p = release(w, slot, true);
    expect(p.ttl).toBe(61);
    expect(p.path).toEqual([7, 3, 5]);
    expect(inject(w, packet(2))).toBe(slot);
    // Path cells were freed and are reused: the new packet starts with an empty path.
    expect(pathOf(w, slot)).toEqual([]);
    pushPath(w, slot, 9);
    expect(pathOf(w, slot)).toEqual([9]);
    // Without the path (nobody reads it): the object keeps the one it entered with.
    w.ints[slot * ISTRIDE + I_TTL] = 50;
    expect(release(w, slot, false)).toMatchObject({ id: 2, ttl: 50, path: [] });
  });

  it('grows past its first capacity without losing anything', () => {
    const w = createWire();
    const slots = Array.from({ length: 5_000 }, (_, i) => inject(w, packet(i, [i % 40])));
    for (const s of slots) pushPath(w, s, 99);
    expect(release(w, slots[4_321] as number, true).path).toEqual([4_321 % 40, 99]);
    expect(release(w, slots[0] as number, true).unit).toBe(0);
  });

  it('a TCP segment keeps no object inside the network and leaves equal to what was sent, copies too', () => {
    const w = createWire();
    const sent: Packet = {
      ...packet(5, [2]),
      channel: 'tcp',
      srcAddr: 0xc0a80105, // above 2^31: stored as int32, given back unsigned
      srcPort: 61_000,
      dstPort: 80,
      flags: 0b10010,
      seq: 1461,
      ack: 2_000_000_001,
      wnd: 65_535,
      len: 1460,
      sizeBytes: 1500,
      createdUs: 123_456,
    };
    const slot = inject(w, sent);
    expect(w.info[slot]).toBeNull();
    expect(flagsOf(w, slot)).toBe(0b10010);
    pushPath(w, slot, 6);
    const copy = duplicate(w, slot, 9);
    w.ints[slot * ISTRIDE + I_TTL] = 60;
    expect(release(w, slot, true)).toEqual({ ...sent, ttl: 60, path: [2, 6] });
    expect(release(w, copy, true)).toEqual({ ...sent, id: 9, path: [2, 6] });
  });

  it('duplicates a packet with its own id and a path of its own', () => {
    const w = createWire();
    const slot = inject(w, packet(1));
    pushPath(w, slot, 4);
    w.ints[slot * ISTRIDE + I_LINK] = 1;
    const copy = duplicate(w, slot, 77);
    pushPath(w, copy, 8);
    expect(w.ints[copy * ISTRIDE + I_LINK]).toBe(1);
    expect(release(w, slot, true).path).toEqual([4]);
    const c = release(w, copy, true);
    expect(c.id).toBe(77);
    expect(c.path).toEqual([4, 8]);
  });

  it('the timing wheel gives arrivals back in (t, s) order across its whole span and around it — SPEC SIM-2', () => {
    const w = createWire();
    let seq = 0;
    const schedule = (slot: number, t: number, now: number) => {
      w.hot[slot * STRIDE + F_T] = t;
      w.hot[slot * STRIDE + F_S] = seq++;
      return wheelPush(w, slot, t, now);
    };
    // Three at the same microsecond keep their scheduling order; one lies beyond the span.
    expect(schedule(0, 500, 0)).toBe(true);
    expect(schedule(1, 20, 0)).toBe(true);
    expect(schedule(2, 500, 0)).toBe(true);
    expect(schedule(3, WHEEL_MAX_US - 1, 0)).toBe(true);
    expect(schedule(4, WHEEL_MAX_US, 0)).toBe(false);
    expect(schedule(5, 500, 10)).toBe(true);
    expect(wheelSlots(w, 10)).toEqual([1, 0, 2, 5, 3]);
    const popped: [number, number][] = [];
    let now = 10;
    for (let t = wheelPeekTimeUs(w, now); t !== Number.POSITIVE_INFINITY; t = wheelPeekTimeUs(w, now)) {
      now = t;
      expect(wheelPeekSeq(w)).toBe(w.hot[(w.buckets[2 * (t & (WHEEL_MAX_US - 1))] as number) * STRIDE + F_S]);
      const slot = wheelPop(w);
      popped.push([t, slot]);
      // After the first pop, schedule one that wraps around the wheel's buckets.
      if (slot === 1) expect(schedule(6, 20 + WHEEL_MAX_US - 5, now)).toBe(true);
    }
    expect(popped).toEqual([
      [20, 1],
      [500, 0],
      [500, 2],
      [500, 5],
      [WHEEL_MAX_US - 1, 3],
      [WHEEL_MAX_US + 15, 6],
    ]);
  });

  it('sizes the wheel to what a scenario schedules ahead, within 4 ms … 524 ms', () => {
    expect(wheelSpanUs(0)).toBe(4_096);
    expect(wheelSpanUs(300_001)).toBe(524_288);
    expect(wheelSpanUs(200_000)).toBe(262_144);
    expect(wheelSpanUs(10_000_000)).toBe(524_288);
  });

  it('keeps (t, s) order when events come out of order — SPEC SIM-2', () => {
    const w = createWire();
    let seq = 0;
    const schedule = (slot: number, t: number) => {
      w.hot[slot * STRIDE + F_T] = t;
      w.hot[slot * STRIDE + F_S] = seq++;
      expect(wheelPush(w, slot, t, 0)).toBe(true);
    };
    // Later, earlier, equal, earliest, equal again.
    schedule(0, 40);
    schedule(1, 35);
    schedule(2, 40);
    schedule(3, 33);
    schedule(4, 35);
    schedule(5, 47);
    const order: number[] = [];
    for (let now = 0; wheelPeekTimeUs(w, now) !== Number.POSITIVE_INFINITY; ) {
      now = wheelPeekTimeUs(w, now);
      order.push(wheelPop(w));
    }
    expect(order).toEqual([3, 1, 4, 0, 2, 5]);
  });

  it('round-trips through plain data canonically: equal states, equal plain forms', () => {
    const w = createWire();
    const slots = [inject(w, packet(1)), inject(w, packet(2)), inject(w, packet(3))];
    pushPath(w, slots[1] as number, 5);
    for (const [i, slot] of slots.entries()) {
      w.hot[slot * STRIDE + F_T] = 1_000 - i;
      w.hot[slot * STRIDE + F_S] = i;
      wheelPush(w, slot, 1_000 - i, 100);
    }
    const plain = wireToPlain(w, 100);
    expect(plain.wheel).toEqual([slots[2], slots[1], slots[0]]);
    const back = wireFromPlain(structuredClone(plain), 100);
    expect(wireToPlain(back, 100)).toEqual(plain);
    expect(wheelPeekTimeUs(back, 100)).toBe(998);
    expect(release(back, slots[1] as number, true).path).toEqual([5]);
  });

  it('an arrival beyond the wheel’s span waits in the event heap and keeps its exact time, through a snapshot — SPEC SIM-1, SIM-5', () => {
    // 600 ms on the middle link: more than WHEEL_MAX_US (524 ms) ahead when the packet leaves r1.
    const call = {
      id: 'c',
      kind: 'udp',
      from: 'h-a',
      to: 'h-b',
      startS: 0,
      intervalMs: 50,
      frameBytes: 100,
      deadlineMs: 2_000,
    };
    const file = lineScenario({ traffic: [call], mid: { latencyMs: 600 } });
    const sc = loadScenario(file, 'far.json');
    const sim = new Simulation(sc, 1);
    const latencies: number[] = [];
    sim.onRecord((r) => {
      if (r.k === 'frameDelivered') latencies.push(r.latencyUs);
    });
    sim.advanceTo(300_000);
    expect(sim.st.events.some((e) => e.k === 'slot')).toBe(true);
    const replica = new Simulation(sc, 1);
    replica.restore(sim.snapshot());
    sim.advanceTo(2_000_000);
    replica.advanceTo(2_000_000);
    expect(replica.stateHash()).toBe(sim.stateHash());
    // 1 + 600 + 1 ms of propagation plus three serializations of 128 bytes (100 Mbit/s: 11 µs each).
    expect(new Set(latencies)).toEqual(new Set([602_033]));
  });

  it('a busy scenario gets a wheel as long as its longest link plus 8 ms of queueing; one with few flows keeps 32 ms (256 KB)', () => {
    const call = (i: number) => ({
      id: `c${i}`,
      kind: 'udp',
      from: 'h-a',
      to: 'h-b',
      startS: 0,
      intervalMs: 200,
      frameBytes: 100,
      deadlineMs: 300,
    });
    const few = new Simulation(loadScenario(lineScenario({ traffic: [call(0)] }), 'few.json'), 1);
    expect(few.st.wire.wheelUs).toBe(32_768);
    const busy = lineScenario({ traffic: Array.from({ length: 1_000 }, (_, i) => call(i)) });
    expect(new Simulation(loadScenario(busy, 'busy.json'), 1).st.wire.wheelUs).toBe(32_768); // 10 + 8 ms
    const far = lineScenario({
      traffic: Array.from({ length: 1_000 }, (_, i) => call(i)),
      mid: { latencyMs: 100 },
    });
    expect(new Simulation(loadScenario(far, 'far.json'), 1).st.wire.wheelUs).toBe(131_072); // 108 ms
  });
});
