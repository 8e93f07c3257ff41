import { describe, expect, it } from 'vitest';
import type { Packet } from './state.ts';
import {
  createWire,
  duplicate,
  F_DST,
  F_LINK,
  F_TTL,
  inject,
  pathOf,
  pushPath,
  release,
  ringPeek,
  ringPush,
  ringShift,
  ringSlots,
  STRIDE,
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
  it('gives a packet its TTL and path back when it leaves, and reuses its slot', () => {
    const w = createWire(2);
    const slot = inject(w, packet(1, [7]));
    expect(w.hot[slot * STRIDE + F_DST]).toBe(0x0a02000a);
    w.hot[slot * STRIDE + F_TTL] = 61;
    pushPath(w, slot, 3);
    pushPath(w, slot, 5);
    expect(pathOf(w, slot)).toEqual([7, 3, 5]);
    const p = release(w, slot);
    expect(p.ttl).toBe(61);
    expect(p.path).toEqual([7, 3, 5]);
    expect(inject(w, packet(2))).toBe(slot);
    // Path cells were freed and are reused: the new packet starts with an empty path.
    expect(pathOf(w, slot)).toEqual([]);
    pushPath(w, slot, 9);
    expect(pathOf(w, slot)).toEqual([9]);
  });

  it('grows past its first capacity without losing anything', () => {
    const w = createWire(1);
    const slots = Array.from({ length: 5_000 }, (_, i) => inject(w, packet(i, [i % 40])));
    for (const s of slots) pushPath(w, s, 99);
    expect(release(w, slots[4_321] as number).path).toEqual([4_321 % 40, 99]);
    expect(release(w, slots[0] as number).unit).toBe(0);
  });

  it('duplicates a packet with its own id and a path of its own', () => {
    const w = createWire(1);
    const slot = inject(w, packet(1));
    pushPath(w, slot, 4);
    w.hot[slot * STRIDE + F_LINK] = 1;
    const copy = duplicate(w, slot, 77);
    pushPath(w, copy, 8);
    expect(w.hot[copy * STRIDE + F_LINK]).toBe(1);
    expect(release(w, slot).path).toEqual([4]);
    const c = release(w, copy);
    expect(c.id).toBe(77);
    expect(c.path).toEqual([4, 8]);
  });

  it('keeps each link direction’s arrivals in order through growth and wrap-around', () => {
    const w = createWire(1);
    const expected: number[] = [];
    for (let i = 0; i < 100; i++) {
      ringPush(w, 1, i);
      expected.push(i);
      if (i % 3 === 0) {
        expect(ringPeek(w, 1)).toBe(expected.shift());
        ringShift(w, 1);
      }
    }
    expect(ringSlots(w, 1)).toEqual(expected);
    expect(ringSlots(w, 0)).toEqual([]);
  });

  it('round-trips through plain data canonically: equal states, equal plain forms', () => {
    const w = createWire(2);
    const slots = [inject(w, packet(1)), inject(w, packet(2)), inject(w, packet(3))];
    pushPath(w, slots[1] as number, 5);
    for (let i = 0; i < 20; i++) ringPush(w, 3, i);
    for (let i = 0; i < 18; i++) ringShift(w, 3);
    release(w, slots[0] as number);
    const plain = wireToPlain(w);
    const back = wireFromPlain(structuredClone(plain));
    expect(wireToPlain(back)).toEqual(plain);
    expect(ringSlots(back, 3)).toEqual([18, 19]);
    expect(release(back, slots[1] as number).path).toEqual([5]);
  });
});
