/** The L7 balancer's decisions (SPEC LB-L7-1..7): path rules, pools, sticky sessions, keep-alive pool, CPU, commands. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { NodeSpec } from '../../scenario/scenarioSchema.ts';
import type { RoleHost, SpecContext } from '../role.ts';
import { type L7lbCommand, l7lbCommands } from './commands.ts';
import { admit, busyShare, finish } from './cpu.ts';
import { acquire, initialBackendConns, release, trim } from './keepAlivePool.ts';
import { type L7Request, routeRequest } from './route.ts';
import { matchRule, type PathRule, prefixProblem } from './rules.ts';
import { checkL7lbSpec, l7lbNodeSchema } from './spec.ts';
import { initialL7lbState, type L7lbState } from './state.ts';

const HOSTS = ['api-1', 'api-2', 'web-1', 'web-2', 'web-3'];
const nodeIds = ['lb', ...HOSTS];
const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
/** A command without its node (distributed over the union, as Omit is not). */
type Cmd = L7lbCommand extends infer C ? (C extends L7lbCommand ? Omit<C, 'node'> : never) : never;

function spec(extra: Record<string, unknown> = {}) {
  return l7lbNodeSchema.parse({
    id: 'lb',
    kind: 'l7lb',
    x: 0,
    y: 0,
    address: '10.0.9.1',
    pools: [
      { name: 'api', algorithm: 'least-connections', backends: [{ host: 'api-1' }, { host: 'api-2' }] },
      { name: 'front', backends: [{ host: 'web-1' }, { host: 'web-2' }, { host: 'web-3' }] },
    ],
    rules: [
      { prefix: '/', pool: 'front' },
      { prefix: '/api', pool: 'api' },
    ],
    ...extra,
  });
}

function start(extra: Record<string, unknown> = {}) {
  const lb = initialL7lbState(spec(extra), 0, { nodeIndex } as unknown as Scenario);
  const rng = createRng(7, 1);
  const names = (pool: number) => (lb.pools[pool]?.backends ?? []).map((b) => nodeIds[b.host] ?? '');
  const route = (req: Partial<L7Request>) =>
    routeRequest(lb, names, { path: '/', cookie: '', clientKey: 1, ...req }, rng);
  const host = { sc: { nodeIds } } as unknown as RoleHost;
  const run = (cmd: Cmd) => {
    const full = { node: 'lb', ...cmd } as L7lbCommand;
    const handler = l7lbCommands[full.type] as (s: RoleHost, st: L7lbState, c: L7lbCommand) => string | null;
    return handler(host, lb, full);
  };
  const backendOf = (req: Partial<L7Request>) => {
    const d = route(req);
    return 'backend' in d ? (nodeIds[lb.pools[d.pool]?.backends[d.backend]?.host ?? -1] ?? '') : d.refused;
  };
  return { lb, route, run, backendOf };
}

describe('the L7 balancer node in a scenario — SPEC LB-L7-1', () => {
  it('reads pools, rules and settings with their defaults', () => {
    const s = spec();
    expect(s).toMatchObject({ sticky: false, keepAlivePoolSize: 4, latencyTargetMs: 200 });
    expect(s.cpu).toEqual({ serviceUs: 200, concurrency: 4, queueLimit: 200 });
    expect(s.pools[1]?.algorithm).toBe('round-robin');
  });
  it('refuses pools named twice, hosts that are no hosts, and rules with bad prefixes or unknown pools', () => {
    const problems: string[] = [];
    const nodes = nodeIds.map((id) => ({ id, kind: id === 'lb' ? 'l7lb' : 'host' })) as unknown as NodeSpec[];
    const ctx = {
      node: 0,
      where: 'nodes[0] (lb)',
      nodeIndex,
      nodes,
      at: (field: string, message: string) => problems.push(`${field}: ${message}`),
    } as unknown as SpecContext;
    checkL7lbSpec(
      spec({
        pools: [
          { name: 'api', backends: [{ host: 'api-1' }, { host: 'api-1' }] },
          { name: 'api', backends: [{ host: 'lb' }] },
        ],
        rules: [
          { prefix: 'api', pool: 'api' },
          { prefix: '/x', pool: 'nope' },
          { prefix: '/x', pool: 'api' },
        ],
      }),
      ctx,
    );
    expect(problems).toEqual([
      'pools[0].backends[1].host: "api-1" is listed twice',
      'pools[1].name: "api" is named twice',
      'pools[1].backends[0].host: "lb" is not a host; expected a server\'s id',
      'rules[0].prefix: prefix starts with "/"',
      'rules[1].pool: no pool "nope"',
      'rules[2].prefix: "/x" has two rules',
    ]);
  });
});

describe('path rules — SPEC LB-L7-2', () => {
  const rules: PathRule[] = [
    { prefix: '/', pool: 'front' },
    { prefix: '/api', pool: 'api' },
    { prefix: '/api/v2', pool: 'v2' },
  ];
  it('takes the longest prefix the path starts with, whatever the rules’ order', () => {
    expect(matchRule(rules, '/api/v2/users')).toBe(2);
    expect(matchRule(rules, '/api/v1/users')).toBe(1);
    expect(matchRule(rules, '/apix')).toBe(1);
    expect(matchRule(rules, '/index.html')).toBe(0);
    expect(matchRule([...rules].reverse(), '/api/v1')).toBe(1);
    expect(matchRule(rules.slice(1), '/index.html')).toBe(-1);
  });
  it('checks prefixes', () => {
    expect(prefixProblem('/ok/path')).toBeNull();
    expect(prefixProblem('api')).toBe('prefix starts with "/"');
    expect(prefixProblem('/a b')).toBe('prefix has no spaces, "?" or "#"');
    expect(prefixProblem(`/${'a'.repeat(64)}`)).toBe('prefix is at most 64 characters');
  });
  it('sends a request to its rule’s pool, and refuses one no rule matches (no-route)', () => {
    const t = start({ rules: [{ prefix: '/api', pool: 'api' }] });
    expect(t.backendOf({ path: '/api/cart' })).toBe('api-1');
    expect(t.backendOf({ path: '/index.html' })).toBe('no-route');
  });
});

describe('pools, each with its algorithm — SPEC LB-L7-3', () => {
  it('balances each pool by its own algorithm over the backends that take requests', () => {
    const t = start();
    expect([1, 2, 3, 4].map(() => t.backendOf({ path: '/' }))).toEqual(['web-1', 'web-2', 'web-3', 'web-1']);
    // Least connections counts requests in flight.
    const api = t.lb.pools[0] as L7lbState['pools'][number];
    (api.backends[0] as { inflight: number }).inflight = 3;
    expect(t.backendOf({ path: '/api' })).toBe('api-2');
    expect(t.run({ type: 'l7lb.backend', pool: 'front', backend: 'web-2', state: 'drain' })).toBeNull();
    expect([1, 2, 3, 4].map(() => t.backendOf({ path: '/' }))).not.toContain('web-2');
  });
  it('refuses a request whose pool has no backend up and healthy (backend-down)', () => {
    const t = start();
    for (const b of ['api-1', 'api-2'])
      expect(t.run({ type: 'l7lb.backend', pool: 'api', backend: b, state: 'down' })).toBeNull();
    expect(t.backendOf({ path: '/api/x' })).toBe('backend-down');
    expect(t.backendOf({ path: '/x' })).toBe('web-1');
  });
  it('keeps a client on its backend under source-hash and maglev', () => {
    for (const algorithm of ['source-hash', 'maglev'] as const) {
      const t = start();
      expect(t.run({ type: 'l7lb.algorithm', pool: 'front', algorithm })).toBeNull();
      const first = t.backendOf({ path: '/', clientKey: 12345 });
      for (let i = 0; i < 5; i++) expect(t.backendOf({ path: '/a', clientKey: 12345 })).toBe(first);
    }
  });
});

describe('sticky sessions by cookie — SPEC LB-L7-4', () => {
  it('keeps a session on its backend, and counts a miss when that backend drains or goes down', () => {
    const t = start({ sticky: true });
    expect(t.route({ path: '/', cookie: 's1' })).toMatchObject({ backend: 0, sticky: 'new' });
    expect(t.route({ path: '/', cookie: 's2' })).toMatchObject({ backend: 1, sticky: 'new' });
    for (let i = 0; i < 3; i++)
      expect(t.route({ path: '/', cookie: 's1' })).toMatchObject({ backend: 0, sticky: 'hit' });
    // Without a cookie a request is balanced as usual.
    expect(t.route({ path: '/' })).toMatchObject({ sticky: 'off' });
    t.run({ type: 'l7lb.backend', pool: 'front', backend: 'web-1', state: 'drain' });
    const moved = t.route({ path: '/', cookie: 's1' });
    expect(moved).toMatchObject({ sticky: 'miss' });
    expect(t.lb.stickyMisses).toBe(1);
    // The session moved: it sticks to its new backend even once web-1 is back.
    t.run({ type: 'l7lb.backend', pool: 'front', backend: 'web-1', state: 'up' });
    expect(t.route({ path: '/', cookie: 's1' })).toMatchObject({
      backend: (moved as { backend: number }).backend,
      sticky: 'hit',
    });
    expect(t.lb.stickyMisses).toBe(1);
  });
  it('binds sessions per pool, and forgets them when sticky is turned off', () => {
    const t = start({ sticky: true });
    t.route({ path: '/', cookie: 's1' });
    t.route({ path: '/api', cookie: 's1' });
    expect(Object.keys(t.lb.sessions).sort()).toEqual(['api\ns1', 'front\ns1']);
    expect(t.run({ type: 'l7lb.sticky', on: false })).toBeNull();
    expect(t.lb.sessions).toEqual({});
    expect(t.route({ path: '/', cookie: 's1' })).toMatchObject({ sticky: 'off' });
  });
});

describe('the keep-alive pool to each backend — SPEC LB-L7-5', () => {
  it('reference: one request after another saves exactly the handshake of every request after the first', () => {
    for (const poolSize of [1, 4, 64]) {
      const b = initialBackendConns();
      for (let r = 0; r < 100; r++) {
        expect(acquire(b)).toBe(r > 0);
        expect(release(b, poolSize)).toBe(true);
      }
      expect(b).toEqual({ idle: 1, busy: 0, opened: 1, saved: 99 });
    }
  });
  it('with pool size 0 opens a connection per request and saves none', () => {
    const b = initialBackendConns();
    for (let r = 0; r < 100; r++) {
      expect(acquire(b)).toBe(false);
      expect(release(b, 0)).toBe(false);
    }
    expect(b).toEqual({ idle: 0, busy: 0, opened: 100, saved: 0 });
  });
  it('keeps at most the pool size idle: concurrent requests beyond it open and close their own', () => {
    const b = initialBackendConns();
    for (let r = 0; r < 5; r++) acquire(b);
    expect(b.opened).toBe(5);
    expect([1, 2, 3, 4, 5].map(() => release(b, 2))).toEqual([true, true, false, false, false]);
    for (let r = 0; r < 3; r++) acquire(b);
    expect(b).toEqual({ idle: 0, busy: 3, opened: 6, saved: 2 });
    for (let r = 0; r < 3; r++) release(b, 4);
    expect(trim(b, 1)).toBe(2);
    expect(b.idle).toBe(1);
  });
  it('a smaller pool size closes idle connections beyond it; taking a backend down closes all of them', () => {
    const t = start({ keepAlivePoolSize: 8 });
    const conns = t.lb.pools[1]?.backends[0]?.conns as ReturnType<typeof initialBackendConns>;
    for (let r = 0; r < 6; r++) acquire(conns);
    for (let r = 0; r < 6; r++) release(conns, t.lb.poolSize);
    expect(conns.idle).toBe(6);
    expect(t.run({ type: 'l7lb.poolSize', size: 2 })).toBeNull();
    expect(conns.idle).toBe(2);
    t.run({ type: 'l7lb.backend', pool: 'front', backend: 'web-1', state: 'down' });
    expect(conns.idle).toBe(0);
  });
});

describe('the balancer’s CPU — SPEC LB-L7-6', () => {
  const cpuSpec = { serviceUs: 100, concurrency: 2, queueLimit: 2 };
  it('works on concurrency requests at once, queues up to the limit in order, and refuses beyond it', () => {
    const cpu = initialL7lbState(spec(), 0, { nodeIndex } as unknown as Scenario).cpu;
    expect([1, 2, 3, 4, 5].map((id) => admit(cpu, cpuSpec, id))).toEqual([
      'start',
      'start',
      'queued',
      'queued',
      'refused',
    ]);
    expect(finish(cpu, cpuSpec, 2)).toBe(3);
    expect(finish(cpu, cpuSpec, 1)).toBe(4);
    expect(finish(cpu, cpuSpec, 3)).toBe(-1);
    expect(finish(cpu, cpuSpec, 99)).toBe(-1);
    expect(cpu).toMatchObject({ active: [4], queue: [], done: 3, refused: 1, peakQueue: 2, busyUs: 300 });
    // 300 µs of work on 2 workers over 300 µs: half busy.
    expect(busyShare(cpu, cpuSpec, 300)).toBe(0.5);
    expect(busyShare(cpu, cpuSpec, 0)).toBe(0);
  });
});

describe('commands — SPEC LB-L7-7', () => {
  it('sets and deletes rules, and refuses bad values with a sentence', () => {
    const t = start();
    expect(t.run({ type: 'l7lb.rule', prefix: '/static', pool: 'api' })).toBeNull();
    expect(t.backendOf({ path: '/static/a.css' })).toBe('api-1');
    expect(t.run({ type: 'l7lb.rule', prefix: '/static', pool: 'front' })).toBeNull();
    expect(t.lb.rules).toHaveLength(3);
    expect(t.run({ type: 'l7lb.rule', prefix: 'static', pool: 'front' })).toBe('prefix starts with "/"');
    expect(t.run({ type: 'l7lb.rule', prefix: '/s', pool: 'nope' })).toBe('no pool "nope"');
    expect(t.run({ type: 'l7lb.ruleDelete', prefix: '/static' })).toBeNull();
    expect(t.run({ type: 'l7lb.ruleDelete', prefix: '/static' })).toBe('no rule for "/static"');
    for (let i = t.lb.rules.length; i < 32; i++)
      expect(t.run({ type: 'l7lb.rule', prefix: `/r${i}`, pool: 'api' })).toBeNull();
    expect(t.run({ type: 'l7lb.rule', prefix: '/one-more', pool: 'api' })).toBe('at most 32 rules');
  });
  it('refuses unknown pools, backends, algorithms, states and sizes', () => {
    const t = start();
    expect(t.run({ type: 'l7lb.algorithm', pool: 'nope', algorithm: 'maglev' })).toBe('no pool "nope"');
    expect(t.run({ type: 'l7lb.algorithm', pool: 'api', algorithm: 'random' as never })).toMatch(
      /^algorithm is one of/,
    );
    expect(t.run({ type: 'l7lb.backend', pool: 'api', backend: 'web-1', state: 'down' })).toBe(
      'no backend "web-1" in pool "api"',
    );
    expect(t.run({ type: 'l7lb.backend', pool: 'api', backend: 'api-1', state: 'off' as never })).toBe(
      'state is one of up, drain, down',
    );
    expect(t.run({ type: 'l7lb.poolSize', size: 65 })).toBe('size is a whole number from 0 to 64');
    expect(t.run({ type: 'l7lb.poolSize', size: 1.5 })).toBe('size is a whole number from 0 to 64');
    expect(t.run({ type: 'l7lb.sticky', on: 'yes' as never })).toBe('on is true or false');
    expect(t.lb.poolSize).toBe(4);
  });
});
