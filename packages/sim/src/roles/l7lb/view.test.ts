/** The L7 balancer's request bookkeeping and view (SPEC LB-L7-8, LB-L7-9). */
import { describe, expect, it } from 'vitest';
import type { SimCore } from '../../engine/core.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { admit, finish } from './cpu.ts';
import { noteAnswered, noteFailed, noteForwarded } from './lifecycle.ts';
import { l7lbNodeSchema } from './spec.ts';
import { initialL7lbState } from './state.ts';
import { viewL7lb } from './view.ts';

const nodeIds = ['lb', 'api-1', 'web-1', 'web-2'];
const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
const spec = l7lbNodeSchema.parse({
  id: 'lb',
  kind: 'l7lb',
  x: 0,
  y: 0,
  address: '10.0.9.1',
  pools: [
    { name: 'api', backends: [{ host: 'api-1' }] },
    {
      name: 'front',
      algorithm: 'least-connections',
      backends: [{ host: 'web-1' }, { host: 'web-2', weight: 2 }],
    },
  ],
  rules: [
    { prefix: '/', pool: 'front' },
    { prefix: '/api', pool: 'api' },
  ],
  keepAlivePoolSize: 1,
  cpu: { serviceUs: 500, concurrency: 1, queueLimit: 4 },
});

function start() {
  const lb = initialL7lbState(spec, 0, { nodeIndex } as unknown as Scenario);
  const hosts = nodeIds.slice(1).map((id) => ({ id, kind: 'host', label: id.toUpperCase() }));
  const sim = {
    sc: { nodeIds, hostAddr: [(10 << 24) | (9 << 8) | 1, 0, 0, 0], file: { nodes: [spec, ...hosts] } },
    st: { nowUs: 0, servers: {} },
  } as unknown as SimCore;
  return { lb, sim };
}

describe('request bookkeeping — SPEC LB-L7-8', () => {
  it('counts requests in flight, pooled connections and each pool’s latency', () => {
    const { lb } = start();
    expect(noteForwarded(lb, 1, 0)).toBe(false);
    expect(noteForwarded(lb, 1, 0)).toBe(false);
    expect(lb.pools[1]?.backends[0]).toMatchObject({ inflight: 2, total: 2 });
    // Pool size 1: the first answered keeps its connection, the second closes its own.
    expect(noteAnswered(lb, 1, 0, 30_000)).toBe(true);
    expect(noteAnswered(lb, 1, 0, 50_000)).toBe(false);
    expect(noteForwarded(lb, 1, 0)).toBe(true);
    noteFailed(lb, 1, 0);
    expect(lb.pools[1]).toMatchObject({ completed: 2, failed: 1, latencySumUs: 80_000 });
    expect(lb.pools[1]?.backends[0]?.conns).toEqual({ idle: 0, busy: 0, opened: 2, saved: 1 });
    expect(lb.pools[1]?.backends[0]?.inflight).toBe(0);
    expect(lb.routed).toBe(3);
  });
});

describe('the L7 balancer’s view — SPEC LB-L7-9', () => {
  it('shows rules, per-pool latency and handshakes saved, sticky misses and the CPU', () => {
    const { lb, sim } = start();
    noteForwarded(lb, 1, 1);
    noteAnswered(lb, 1, 1, 40_000);
    noteForwarded(lb, 1, 1);
    noteAnswered(lb, 1, 1, 20_000);
    lb.stickyMisses = 2;
    lb.sessions = { 'front\na': 0 };
    for (const id of [1, 2, 3]) admit(lb.cpu, spec.cpu, id);
    finish(lb.cpu, spec.cpu, 1);
    (sim.st as { nowUs: number }).nowUs = 1_000;
    const v = viewL7lb(sim, lb);
    expect(v).toMatchObject({
      role: 'l7lb',
      id: 'lb',
      address: '10.0.9.1',
      rules: [
        { prefix: '/', pool: 'front' },
        { prefix: '/api', pool: 'api' },
      ],
      sticky: false,
      stickyMisses: 2,
      sessions: 1,
      poolSize: 1,
      cpu: {
        serviceUs: 500,
        concurrency: 1,
        queueLimit: 4,
        busy: 1,
        queued: 1,
        peakQueue: 2,
        done: 1,
        refused: 0,
      },
      routed: 2,
      handshakesSaved: 1,
    });
    // 500 µs of work on one worker over 1 ms.
    expect(v.cpu.busyShare).toBe(0.5);
    expect(v.pools[0]).toMatchObject({ name: 'api', completed: 0, meanLatencyMs: 0, handshakes: 0 });
    expect(v.pools[1]).toMatchObject({
      name: 'front',
      algorithm: 'least-connections',
      completed: 2,
      meanLatencyMs: 30,
      handshakes: 1,
      handshakesSaved: 1,
    });
    expect(v.pools[1]?.backends[1]).toEqual({
      id: 'web-2',
      label: 'WEB-2',
      weight: 2,
      admin: 'up',
      healthy: true,
      eligible: true,
      inflight: 0,
      total: 2,
      idle: 1,
      busy: 0,
      opened: 1,
      saved: 1,
      server: null,
    });
  });
});
