import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_REASON_TEXT, loadScenario, type Scenario, type SimRecord, Simulation } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { dnsScenario, lookups, pageLoads } from '../../../../packages/sim/src/testing/dnsScenario.ts';
import { Replica } from '../net/replica.ts';
import {
  axisMs,
  formatMs,
  PageLoadLog,
  PHASES,
  pageLoadClients,
  placeSegments,
  regionClients,
  type WaterfallRow,
} from './waterfall.ts';

const load = (file: unknown) => loadScenario(file, 'dns-line.json');

/** A replica of `sc` stepped tick by tick (50 ms) for `seconds`, its records fed to a log for `myNode`. */
function logAfter(sc: Scenario, seconds: number, myNode: string | null = 'c1', maxRows?: number) {
  const authority = new Simulation(sc, 5);
  const replica = new Replica({ scenario: sc, copy: 0, requestResync: () => {} });
  replica.handleSnapshot({ copy: 0, tick: 0, seed: 5, bytes: authority.snapshot() });
  const log = new PageLoadLog(sc, myNode, maxRows);
  replica.onRecord((r) => log.add(r));
  for (let tick = 1; tick <= seconds * 20; tick++)
    replica.handleTick({ copy: 0, tick, simTimeUs: tick * 50_000, commands: [] });
  return log;
}

/** The segments end to end from 0, in phase order. */
function expectContiguous(row: WaterfallRow): void {
  let at = 0;
  for (const s of row.segments) {
    expect(s.startMs).toBeCloseTo(at, 6);
    at += s.durationMs;
  }
  expect(at).toBeCloseTo(row.totalMs, 6);
  const order = row.segments.map((s) => PHASES.indexOf(s.phase));
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

describe('the page-load waterfall model — SPEC VIEW-7', () => {
  it('VIEW-7: a completed load is a row of five phases end to end, totalling the load; a warm cache has no DNS time', () => {
    const log = logAfter(
      load(dnsScenario({ traffic: [pageLoads('www.example', 1_000, { stopS: 1.5 })] })),
      4,
    );
    const rows = log.rows();
    expect(rows).toHaveLength(2);
    // Newest first: the second load found the name in the browser's (stub's) cache.
    const [warm, cold] = rows as [WaterfallRow, WaterfallRow];
    expect(cold).toMatchObject({
      key: '0:0',
      name: 'www.example',
      from: 'c1',
      source: 'authority',
      failure: null,
    });
    expect(cold.segments.map((s) => s.phase)).toEqual(['dns', 'connect', 'tls', 'request', 'response']);
    expect(cold.segments.every((s) => !s.failed && s.durationMs >= 0)).toBe(true);
    // DNS: stub → resolver → authority; connect, TLS, first byte: a 12 ms round trip each and more.
    expect(cold.segments[0]?.durationMs).toBeGreaterThan(50);
    for (const s of cold.segments.slice(1, 4)) expect(s.durationMs).toBeGreaterThan(12);
    expectContiguous(cold);
    expect(warm).toMatchObject({ key: '0:1', source: 'browser cache' });
    expect(warm.segments[0]?.durationMs).toBe(0);
    expect(warm.totalMs).toBeLessThan(cold.totalMs - 50);
    expectContiguous(warm);
  });

  it('VIEW-7: a failed load shows the phases it finished, then the phase it died in, hatched, with the reason in words', () => {
    const log = logAfter(
      load(
        dnsScenario({
          traffic: [
            pageLoads('zero.example', 10_000, { stopS: 1, timeoutMs: 2_000 }),
            pageLoads('nope.example', 10_000, { stopS: 1, from: 'c2' }),
          ],
        }),
      ),
      4,
      null,
    );
    const byName = new Map(log.rows().map((r) => [r.name, r]));
    const dead = byName.get('zero.example') as WaterfallRow;
    expect(dead.failure).toEqual({
      phase: 'connect',
      reason: 'dead-address',
      text: FAILURE_REASON_TEXT['dead-address'],
    });
    expect(dead.segments.map((s) => [s.phase, s.failed])).toEqual([
      ['dns', false],
      ['connect', true],
    ]);
    // The connect phase ran until the request's 2 s timeout.
    expect(dead.segments[1]?.durationMs).toBeCloseTo(2_000, 6);
    expectContiguous(dead);
    const nx = byName.get('nope.example') as WaterfallRow;
    expect(nx).toMatchObject({ from: 'c2', source: '', failure: { phase: 'dns', reason: 'nxdomain' } });
    expect(nx.segments).toEqual([expect.objectContaining({ phase: 'dns', failed: true, startMs: 0 })]);
    expect(nx.failure?.text).toBe('the name does not exist (NXDOMAIN)');
  });

  it('VIEW-7: keeps the newest rows, newest first, and a load reported twice (a rebuilt replica) once', () => {
    const sc = load(dnsScenario({ traffic: [pageLoads('www.example', 200, { stopS: 3 })] }));
    const log = logAfter(sc, 4, 'c1', 5);
    const rows = log.rows();
    expect(rows.map((r) => r.key)).toEqual(['0:14', '0:13', '0:12', '0:11', '0:10']);
    const again = { ...(rowRecord(sc, 13) as SimRecord) };
    const version = log.version;
    log.add(again);
    expect(log.rows().map((r) => r.key)).toEqual(['0:13', '0:14', '0:12', '0:11', '0:10']);
    expect(log.version).toBe(version + 1);
    // Records of other kinds change nothing.
    log.add({ k: 'frameDuplicate', tUs: 0, flow: 0, unit: 0 });
    expect(log.version).toBe(version + 1);
  });

  it('VIEW-7: with regions (lesson 5), a seat sees its region’s browsers: its own region, else the nearest client’s', () => {
    const file = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../../scenarios/lesson-5-phonebook.json'), 'utf8'),
    );
    const sc = loadScenario(file, 'lesson-5-phonebook.json');
    const ids = (seat: string | null) => [...regionClients(sc, seat)].map((n) => sc.nodeIds[n]).sort();
    // The resolvers carry no region: each takes that of the browser nearest it on the map.
    expect(ids('res-w')).toEqual(['w-laptop', 'w-phone']);
    expect(ids('res-e')).toEqual(['e-laptop', 'e-phone']);
    expect(ids('s-tablet')).toEqual(['s-phone', 's-tablet']);
    expect(ids(null)).toHaveLength(6);
  });

  it('VIEW-7: a player sees the page loads of the clients in their region; the host sees every client', () => {
    const sc = load(
      dnsScenario({
        traffic: [
          pageLoads('www.example', 1_000, { stopS: 1 }),
          pageLoads('www.example', 1_000, { stopS: 1, from: 'c2' }),
          lookups(['www.example'], 500),
        ],
      }),
    );
    const c1 = sc.nodeIndex.get('c1');
    const c2 = sc.nodeIndex.get('c2');
    // Hosts that only look names up, and servers, load no pages.
    expect(pageLoadClients(sc).sort()).toEqual([c1, c2].sort());
    // A scenario without regions: one region ('') holds every client.
    expect([...regionClients(sc, 'res')].sort()).toEqual([c1, c2].sort());
    expect([...regionClients(sc, null)].sort()).toEqual([c1, c2].sort());
    const seen = new Set(
      logAfter(sc, 2, 'res')
        .rows()
        .map((r) => r.from),
    );
    expect(seen).toEqual(new Set(['c1', 'c2']));
    expect(
      new PageLoadLog(load(dnsScenario({ traffic: [lookups(['www.example'], 500)] })), 'res').active,
    ).toBe(false);
  });

  it('VIEW-7: the axis ends at the slowest load rounded up to a round number of ms; durations read in ms', () => {
    const row = (totalMs: number) => ({ totalMs, failure: null }) as WaterfallRow;
    expect(axisMs([row(61)])).toBe(80);
    expect(axisMs([row(84), row(130)])).toBe(150);
    expect(axisMs([row(2_100)])).toBe(2_500);
    expect(axisMs([row(5_000)])).toBe(5_000);
    expect(axisMs([row(9_100)])).toBe(10_000);
    expect(axisMs([])).toBe(1);
    // A failed load waiting for its timeout does not set the scale while loads complete.
    const timedOut = { totalMs: 3_000, failure: { phase: 'connect' } } as WaterfallRow;
    expect(axisMs([row(84), timedOut])).toBe(100);
    expect(axisMs([timedOut])).toBe(3_000);
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(38.4)).toBe('38 ms');
    expect(formatMs(3_012.2)).toBe('3,012 ms');
  });
});

describe('placing a row on the axis — SPEC VIEW-7', () => {
  const row: WaterfallRow = {
    key: '0:0',
    name: 'zero.example',
    from: 'c1',
    endUs: 0,
    totalMs: 1_600,
    source: '',
    segments: [
      { phase: 'dns', startMs: 0, durationMs: 60, failed: false },
      { phase: 'connect', startMs: 60, durationMs: 1_540, failed: true },
    ],
    failure: { phase: 'connect', reason: 'dead-address', text: FAILURE_REASON_TEXT['dead-address'] },
  };

  it('VIEW-7: places segments in percent of the axis, and cuts one that runs past its end', () => {
    expect(placeSegments(row, 200)).toEqual([
      { phase: 'dns', failed: false, leftPct: 0, widthPct: 30, clipped: false, durationMs: 60 },
      { phase: 'connect', failed: true, leftPct: 30, widthPct: 70, clipped: true, durationMs: 1_540 },
    ]);
    expect(placeSegments(row, 2_000).map((s) => [s.widthPct, s.clipped])).toEqual([
      [3, false],
      [77, false],
    ]);
    // A phase that took no time (a cached lookup) draws nothing; one past the axis neither.
    const warm = {
      ...row,
      segments: [{ phase: 'dns', startMs: 0, durationMs: 0, failed: false }, ...row.segments],
    };
    expect(placeSegments(warm as WaterfallRow, 2_000)).toHaveLength(2);
    expect(placeSegments(row, 50).map((s) => [s.phase, s.widthPct, s.clipped])).toEqual([['dns', 100, true]]);
  });
});

/** The `pageLoad` record of unit `unit` of flow 0 in a fresh run of `sc`. */
function rowRecord(sc: Scenario, unit: number): SimRecord | undefined {
  const sim = new Simulation(sc, 5);
  let found: SimRecord | undefined;
  sim.onRecord((r) => {
    if (r.k === 'pageLoad' && r.unit === unit) found = r;
  });
  sim.advanceTo(4_000_000);
  return found;
}
