import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.ts';
import { deleteRoute, lookupRoute, makeRoute, type Route, upsertRoute } from './forwarding.ts';

function table(entries: [string, number][]): Route[] {
  const t: Route[] = [];
  for (const [p, via] of entries) upsertRoute(t, makeRoute(p, via) as Route);
  return t;
}

const addr = (s: string) => parseAddress(s) as number;

describe('longest-prefix match — SPEC RT-1', () => {
  const t = table([
    ['0.0.0.0/0', 1],
    ['10.0.0.0/8', 2],
    ['10.2.0.0/16', 3],
    ['10.2.3.0/24', 4],
  ]);

  it('picks the most specific matching prefix', () => {
    expect(lookupRoute(t, addr('10.2.3.9'))?.viaNode).toBe(4);
    expect(lookupRoute(t, addr('10.2.4.9'))?.viaNode).toBe(3);
    expect(lookupRoute(t, addr('10.9.0.1'))?.viaNode).toBe(2);
    expect(lookupRoute(t, addr('192.0.2.1'))?.viaNode).toBe(1);
  });

  it('finds nothing without a default route', () => {
    const noDefault = table([['10.2.0.0/16', 3]]);
    expect(lookupRoute(noDefault, addr('10.3.0.1'))).toBeNull();
  });

  it('replaces and deletes entries by prefix', () => {
    const u = table([['10.2.0.0/16', 3]]);
    upsertRoute(u, makeRoute('10.2.0.0/16', 5) as Route);
    expect(u).toHaveLength(1);
    expect(lookupRoute(u, addr('10.2.0.1'))?.viaNode).toBe(5);
    expect(deleteRoute(u, '10.2.0.0/16')).toBe(true);
    expect(deleteRoute(u, '10.2.0.0/16')).toBe(false);
  });
});
