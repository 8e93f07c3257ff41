import { describe, expect, it } from 'vitest';
import { fieldOverlaps } from '../engine/layout.ts';
import * as flowTable from './flowTable.ts';

describe('the flow table’s row, declared once — SPEC SIM-7', () => {
  it('is one 64-byte line of float64 fields that do not overlap, each FT_* offset a declared field', () => {
    const { FLOW_ROW } = flowTable;
    expect(fieldOverlaps(FLOW_ROW)).toEqual([]);
    expect([FLOW_ROW.bytes, flowTable.FT_STRIDE]).toEqual([64, 8]);
    const offsets = Object.entries(flowTable).filter(
      ([name]) => name.startsWith('FT_') && name !== 'FT_STRIDE',
    );
    expect(offsets.length).toBe(FLOW_ROW.places.length);
    for (const [name, f] of offsets)
      expect(
        FLOW_ROW.places.some((p) => p.byte === (f as number) * 8),
        name,
      ).toBe(true);
  });
});
