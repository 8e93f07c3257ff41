import { describe, expect, it } from 'vitest';
import { defineLayout, type FieldPlace, fieldOverlaps } from './layout.ts';
import {
  FRAME_RECORD,
  LANE_FRAME,
  LANE_REQUEST_TIMEOUT,
  LANE_TICK,
  LANE_TIME_WAIT,
  R_FLOW,
  R_UNIT,
  RECORD_LAYOUTS,
  REQUEST_TIMEOUT_RECORD,
  TICK_RECORD,
  TIME_WAIT_RECORD,
} from './recordLanes.ts';
import * as wire from './wire.ts';

const { SLOT } = wire;

/** The exported constants of a module with a prefix, as their places in a layout (int32 or float64 view). */
function exportedPlaces(module: Record<string, unknown>, prefix: string, type: 'f64' | 'i32') {
  const size = type === 'f64' ? 8 : 4;
  return Object.entries(module)
    .filter(([name, v]) => name.startsWith(prefix) && typeof v === 'number')
    .map(([name, v]) => ({ name, byte: (v as number) * size, type }));
}

describe('typed-array layouts declared once — SPEC SIM-7', () => {
  it('no two fields of a layout overlap, except fields of two alternatives; each fits its line', () => {
    for (const layout of [SLOT, ...RECORD_LAYOUTS]) expect(fieldOverlaps(layout), layout.name).toEqual([]);
  });

  it('a slot: two cache lines, a hop’s fields all in the first, UDP and TCP fields sharing the end of the second', () => {
    expect(SLOT.bytes).toBe(128);
    expect([wire.STRIDE, wire.ISTRIDE]).toEqual([16, 32]);
    const hop = [
      't',
      's',
      'departUs',
      'next',
      'node',
      'link',
      'downs',
      'arriving',
      'ttl',
      'dst',
      'path',
      'size',
      'kind',
    ];
    for (const name of hop) expect(SLOT.places.find((p) => p.name === name)?.line, name).toBe(0);
    const shared = SLOT.places.filter((p) =>
      SLOT.places.some((q) => q !== p && p.byte < q.byte + q.size && q.byte < p.byte + p.size),
    );
    expect(new Set(shared.map((p) => p.alternative))).toEqual(new Set(['udp', 'tcp']));
  });

  it('every offset wire.ts exports is a declared field of the slot (none made by hand)', () => {
    const declared = (byte: number, type: string) =>
      SLOT.places.some((p) => p.byte === byte && p.type === type);
    const offsets = [...exportedPlaces(wire, 'I_', 'i32'), ...exportedPlaces(wire, 'F_', 'f64')];
    expect(offsets.length).toBe(SLOT.places.length);
    for (const o of offsets) expect(declared(o.byte, o.type), o.name).toBe(true);
  });

  it('record lanes: each kind’s layout, (t, s) first, flow and unit at one place wherever a record has them', () => {
    expect(RECORD_LAYOUTS[LANE_FRAME]).toBe(FRAME_RECORD);
    expect(RECORD_LAYOUTS[LANE_TICK]).toBe(TICK_RECORD);
    expect(RECORD_LAYOUTS[LANE_REQUEST_TIMEOUT]).toBe(REQUEST_TIMEOUT_RECORD);
    expect(RECORD_LAYOUTS[LANE_TIME_WAIT]).toBe(TIME_WAIT_RECORD);
    expect(RECORD_LAYOUTS.map((l) => l.bytes)).toEqual([32, 64, 32, 32]);
    for (const layout of RECORD_LAYOUTS) expect([layout.f64.t, layout.f64.s], layout.name).toEqual([0, 1]);
    for (const layout of [FRAME_RECORD, TICK_RECORD, REQUEST_TIMEOUT_RECORD])
      expect([layout.i32.flow, layout.i32.unit], layout.name).toEqual([R_FLOW, R_UNIT]);
  });

  it('derives offsets in order, each in the view of its type', () => {
    const l = defineLayout({
      name: 'example',
      lineBytes: 16,
      lines: [{ a: 'f64', b: 'i32', c: 'i32' }, { d: 'i32' }],
      alternatives: { x: { e: 'i32', f: 'f64' }, y: { g: 'i32' } },
    });
    expect([l.f64.a, l.i32.b, l.i32.c, l.i32.d]).toEqual([0, 2, 3, 4]);
    expect([l.alternatives.x.i32.e, l.alternatives.x.f64.f, l.alternatives.y.i32.g]).toEqual([5, 3, 5]);
    expect([l.bytes, l.f64Stride, l.i32Stride]).toEqual([32, 4, 8]);
    // @ts-expect-error: a is a float64 field, so it has no int32 offset
    expect(l.i32.a).toBeUndefined();
  });

  it('refuses a misaligned float64, a field across its line’s end, a name declared twice', () => {
    expect(() => defineLayout({ name: 'm', lineBytes: 16, lines: [{ a: 'i32', b: 'f64' }] })).toThrow(
      /aligned/,
    );
    expect(() =>
      defineLayout({ name: 'o', lineBytes: 8, lines: [{ a: 'i32', b: 'i32', c: 'i32' }] }),
    ).toThrow(/crosses the end of line 0/);
    expect(() =>
      defineLayout({ name: 'u', lineBytes: 8, lines: [{ a: 'i32' }], alternatives: { x: { b: 'f64' } } }),
    ).toThrow(/aligned/);
    expect(() => defineLayout({ name: 'd', lineBytes: 8, lines: [{ a: 'i32' }, { a: 'i32' }] })).toThrow(
      /twice/,
    );
  });

  it('the overlap check reports own fields that share bytes, fields of one alternative, and fields out of their line', () => {
    const at = (name: string, alternative: string, byte: number, line = 0): FieldPlace => ({
      name,
      type: 'i32',
      alternative,
      line,
      byte,
      size: 4,
    });
    const check = (places: FieldPlace[]) => fieldOverlaps({ name: 'bad', bytes: 16, lineBytes: 8, places });
    expect(check([at('a', '', 0), at('b', '', 0)])).toEqual(['bad: own.a and own.b overlap']);
    expect(check([at('a', '', 4), at('b', 'x', 4)])).toEqual(['bad: own.a and x.b overlap']);
    expect(check([at('a', 'x', 4), at('b', 'x', 4)])).toEqual(['bad: x.a and x.b overlap']);
    expect(check([at('a', 'x', 4), at('b', 'y', 4)])).toEqual([]);
    expect(check([at('a', '', 8, 0)])).toEqual(['bad: a is not within line 0']);
    expect(check([at('a', '', 16, 1)])).toEqual([
      'bad: a lies outside the record',
      'bad: a is not within line 1',
    ]);
  });
});
