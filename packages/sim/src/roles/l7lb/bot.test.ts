/** The L7 balancer's bots (SPEC LB-L7-10). */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RoleHost } from '../role.ts';
import { EXPERT_LOOK_S, l7lbBot, NOVICE_LOOK_S, onL7lbBotTimer } from './bot.ts';
import { l7lbNodeSchema } from './spec.ts';
import { initialL7lbState } from './state.ts';

const nodeIds = ['lb', 'api-1', 'web-1', 'web-2'];
const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
const server = (concurrency: number) => ({ processingMs: 10, concurrency, queueLimit: 40 });
const hosts = [
  { id: 'api-1', kind: 'host', server: server(4) },
  { id: 'web-1', kind: 'host', server: server(16) },
  { id: 'web-2', kind: 'host' },
];

function start(seed = 1, extra: Record<string, unknown> = {}) {
  const spec = l7lbNodeSchema.parse({
    id: 'lb',
    kind: 'l7lb',
    x: 0,
    y: 0,
    address: '10.0.9.1',
    pools: [
      { name: 'api', algorithm: 'round-robin', backends: [{ host: 'api-1' }] },
      {
        name: 'front',
        algorithm: 'round-robin',
        backends: [{ host: 'web-1' }, { host: 'web-2', weight: 3 }],
      },
    ],
    rules: [
      { prefix: '/', pool: 'front' },
      { prefix: '/api', pool: 'api' },
    ],
    sticky: true,
    keepAlivePoolSize: 0,
    ...extra,
  });
  const lb = initialL7lbState(spec, 0, { nodeIndex } as unknown as Scenario);
  const timers: number[] = [];
  const sim = {
    sc: { nodeIds, file: { nodes: [spec, ...hosts] } },
    st: { nowUs: 0, servers: { 1: { queue: [] as number[] } }, rngBot: createRng(seed, 9) },
    schedule: (ev: { t: number }) => timers.push(ev.t),
  } as unknown as RoleHost;
  const look = () => {
    (sim.st as { nowUs: number }).nowUs = timers.shift() as number;
    onL7lbBotTimer(sim, lb, spec);
  };
  return { spec, lb, sim, timers, look };
}

function mess(lb: ReturnType<typeof start>['lb']) {
  lb.rules = [{ prefix: '/', pool: 'api' }];
  lb.poolSize = 0;
  for (const p of lb.pools) p.algorithm = 'source-hash';
  (lb.pools[1]?.backends[0] as { admin: string }).admin = 'down';
}

describe('L7 balancer bots — SPEC LB-L7-10', () => {
  it('a competent bot restores the rules and sticky, sets least connections, pool size 8, every backend up', () => {
    const t = start();
    mess(t.lb);
    t.lb.botSkill = 'competent';
    l7lbBot(t.sim, t.lb, t.spec, 'competent');
    expect(t.lb.rules).toEqual(t.spec.rules);
    expect(t.lb).toMatchObject({ sticky: true, poolSize: 8 });
    expect(t.lb.pools.map((p) => p.algorithm)).toEqual(['least-connections', 'least-connections']);
    expect(t.lb.pools[1]?.backends.map((b) => [b.admin, b.weight])).toEqual([
      ['up', 1],
      ['up', 3],
    ]);
    expect(t.timers).toEqual([]);
  });
  it('an expert sizes the pool to its busiest backend’s concurrency and drains a backend with a full queue', () => {
    const t = start(1, { botAlgorithm: 'two-choices' });
    t.lb.botSkill = 'expert';
    l7lbBot(t.sim, t.lb, t.spec, 'expert');
    expect(t.lb.poolSize).toBe(16);
    expect(t.lb.pools[0]?.algorithm).toBe('two-choices');
    expect(t.timers).toEqual([EXPERT_LOOK_S * 1_000_000]);
    (t.sim.st.servers[1] as { queue: number[] }).queue = Array.from({ length: 31 }, (_, i) => i);
    t.look();
    expect(t.lb.pools[0]?.backends[0]?.admin).toBe('drain');
    (t.sim.st.servers[1] as { queue: number[] }).queue = [1];
    t.look();
    expect(t.lb.pools[0]?.backends[0]?.admin).toBe('up');
  });
  it('a novice keeps the scenario’s settings for 30 s, may turn sticky off on misses, then does as the competent bot', () => {
    const outcomes = new Set<boolean>();
    for (let seed = 1; seed <= 12; seed++) {
      const t = start(seed);
      t.lb.botSkill = 'novice';
      l7lbBot(t.sim, t.lb, t.spec, 'novice');
      expect(t.lb).toMatchObject({ sticky: true, poolSize: 0 });
      t.look();
      expect(t.lb.sticky).toBe(true);
      t.lb.stickyMisses = 2;
      t.lb.sessions = { 'front\na': 1 };
      t.look();
      outcomes.add(t.lb.sticky);
      if (!t.lb.sticky) expect(t.lb.sessions).toEqual({});
      expect(t.lb.poolSize).toBe(0);
      t.look();
      expect(t.lb).toMatchObject({ sticky: true, poolSize: 8 });
      expect(t.timers).toEqual([]);
    }
    expect([...outcomes].sort()).toEqual([false, true]);
    expect(NOVICE_LOOK_S).toBe(10);
  });
});
