/**
 * The engine's regression guard: for each lesson and a reduced reference run, the
 * hash of the whole record stream and the metrics `pnpm sim --json` prints must
 * not change. Regenerate on purpose only: `UPDATE_GOLDEN=1 pnpm vitest run golden`.
 * (The state hash is left out: it may change where the state's shape changes.)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { US_PER_S } from '../engine/units.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { runHeadless } from './cli.ts';
import type { SimCommand } from './commands.ts';

const SCENARIOS = join(import.meta.dirname, '../../../../scenarios');
const GOLDEN = join(import.meta.dirname, 'golden/runs.json');

/** Each run: a scenario file, a seed and a simulated duration (the lessons whole, the reference reduced). */
const RUNS: {
  file: string;
  seed: number;
  durationS: number;
  bots?: boolean;
  botSkill?: string;
  commands?: 'players' | 'resolver players' | 'gslb players' | 'balancer players' | 'edge players';
}[] = [
  { file: 'lesson-1-postal.json', seed: 1, durationS: 180 },
  { file: 'lesson-1-postal.json', seed: 3, durationS: 60, bots: false },
  { file: 'lesson-2-mail.json', seed: 1, durationS: 180 },
  { file: 'lesson-2-mail.json', seed: 7, durationS: 60 },
  { file: 'lesson-2-mail.json', seed: 2, durationS: 90, commands: 'players' },
  { file: 'bench/reference-200.json', seed: 1, durationS: 3 },
  { file: 'lesson-3-url.json', seed: 1, durationS: 60 },
  { file: 'lesson-3-url.json', seed: 2, durationS: 60, commands: 'resolver players' },
  { file: 'lesson-3-url.json', seed: 3, durationS: 60, botSkill: 'novice' },
  { file: 'lesson-3-url.json', seed: 3, durationS: 60, botSkill: 'expert' },
  { file: 'lesson-5-phonebook.json', seed: 1, durationS: 100 },
  { file: 'lesson-5-phonebook.json', seed: 2, durationS: 100, commands: 'gslb players' },
  { file: 'lesson-5-phonebook.json', seed: 3, durationS: 100, botSkill: 'novice' },
  { file: 'lesson-4-keep-alive.json', seed: 1, durationS: 100 },
  { file: 'lesson-4-keep-alive.json', seed: 2, durationS: 100, commands: 'edge players' },
  { file: 'lesson-4-keep-alive.json', seed: 3, durationS: 100, botSkill: 'novice' },
  { file: 'lesson-6-traffic-cops.json', seed: 1, durationS: 140 },
  { file: 'lesson-6-traffic-cops.json', seed: 2, durationS: 140, commands: 'balancer players' },
  { file: 'lesson-6-traffic-cops.json', seed: 3, durationS: 140, botSkill: 'novice' },
];

/** What players do in the commanded run (lesson 2): every router command kind, and a link failure. */
const PLAYERS: { atUs: number; cmd: SimCommand }[] = [
  { atS: 20, cmd: { type: 'queue.set', node: 'r-west', via: 'r-short', discipline: { kind: 'priority' } } },
  { atS: 30, cmd: { type: 'route.set', node: 'r-west', prefix: '10.3.0.0/16', via: 'r-north-a' } },
  { atS: 45, cmd: { type: 'link.set', link: 'l-short-east', up: false } },
  { atS: 50, cmd: { type: 'route.set', node: 'r-east', prefix: '10.1.0.0/16', via: 'r-north-b' } },
  { atS: 55, cmd: { type: 'hand.mode', node: 'r-north-a', enabled: true } },
  { atS: 58, cmd: { type: 'hand.mode', node: 'r-north-a', enabled: false } },
  { atS: 60, cmd: { type: 'route.delete', node: 'r-short', prefix: '10.1.0.0/16' } },
  { atS: 70, cmd: { type: 'link.set', link: 'l-short-east', up: true } },
  {
    atS: 72,
    cmd: {
      type: 'queue.set',
      node: 'r-west',
      via: 'r-short',
      discipline: { kind: 'red', minThPackets: 5, maxThPackets: 15, maxP: 0.1, weight: 0.002 },
    },
  },
  { atS: 75, cmd: { type: 'seat.bot', node: 'r-west' } },
  { atS: 80, cmd: { type: 'link.loss', link: 'l-client', loss: 0.05 } },
].map(({ atS, cmd }) => ({ atUs: atS * US_PER_S, cmd: cmd as SimCommand }));

/** What players do in lesson 3's commanded run: the resolver's policy and flush, and seats changing hands at other skills. */
const RESOLVER_PLAYERS: { atUs: number; cmd: SimCommand }[] = [
  { atS: 5, cmd: { type: 'seat.player', node: 'res' } },
  {
    atS: 10,
    cmd: { type: 'resolver.policy', node: 'res', minTtlS: 0, maxTtlS: 5, serveStale: false, prefetch: true },
  },
  { atS: 20, cmd: { type: 'resolver.flush', node: 'res' } },
  { atS: 25, cmd: { type: 'seat.bot', node: 'res', skill: 'expert' } },
  { atS: 30, cmd: { type: 'seat.player', node: 'r-home' } },
  { atS: 31, cmd: { type: 'route.set', node: 'r-home', prefix: '10.3.0.0/16', via: 'r-south' } },
  { atS: 45, cmd: { type: 'seat.bot', node: 'r-home', skill: 'novice' } },
].map(({ atS, cmd }) => ({ atUs: atS * US_PER_S, cmd: cmd as SimCommand }));

/** What players do in lesson 5's commanded run: answer policies and the maximum TTL around the outage, and a seat handed back. */
const GSLB_PLAYERS: { atUs: number; cmd: SimCommand }[] = [
  { atS: 5, cmd: { type: 'seat.player', node: 'res-w' } },
  {
    atS: 20,
    cmd: {
      type: 'resolver.answer',
      node: 'res-w',
      region: 'west',
      policy: 'weighted',
      weights: { 'dc-west': 3, 'dc-east': 1 },
    },
  },
  {
    atS: 27,
    cmd: {
      type: 'resolver.answer',
      node: 'res-w',
      region: 'west',
      policy: 'failover',
      order: ['dc-west', 'dc-east'],
    },
  },
  {
    atS: 28,
    cmd: { type: 'resolver.answer', node: 'res-w', region: 'south', policy: 'fixed', dc: 'dc-east' },
  },
  {
    atS: 29,
    cmd: { type: 'resolver.policy', node: 'res-w', minTtlS: 0, maxTtlS: 5, serveStale: true, prefetch: true },
  },
  { atS: 50, cmd: { type: 'resolver.answer', node: 'res-w', region: 'south', policy: 'geo' } },
  { atS: 70, cmd: { type: 'seat.bot', node: 'res-w', skill: 'expert' } },
].map(({ atS, cmd }) => ({ atUs: atS * US_PER_S, cmd: cmd as SimCommand }));

/** What players do in lesson 6's commanded run: the chat balancer's every command, the shop balancer's rules, sticky, pool and algorithm, and a seat handed back. */
const BALANCER_PLAYERS: { atUs: number; cmd: SimCommand }[] = [
  { atS: 2, cmd: { type: 'seat.player', node: 'chat-lb' } },
  { atS: 10, cmd: { type: 'l4lb.tracking', node: 'chat-lb', on: true } },
  { atS: 20, cmd: { type: 'l4lb.algorithm', node: 'chat-lb', algorithm: 'maglev' } },
  { atS: 30, cmd: { type: 'l4lb.flush', node: 'chat-lb' } },
  { atS: 45, cmd: { type: 'l4lb.weight', node: 'chat-lb', backend: 'chat-3', weight: 1 } },
  { atS: 50, cmd: { type: 'l4lb.weight', node: 'chat-lb', backend: 'chat-1', weight: 3 } },
  { atS: 60, cmd: { type: 'l4lb.backend', node: 'chat-lb', backend: 'chat-2', state: 'drain' } },
  { atS: 70, cmd: { type: 'l4lb.backend', node: 'chat-lb', backend: 'chat-2', state: 'up' } },
  { atS: 85, cmd: { type: 'l4lb.algorithm', node: 'chat-lb', algorithm: 'two-choices' } },
  { atS: 112, cmd: { type: 'l4lb.backend', node: 'chat-lb', backend: 'chat-1', state: 'down' } },
  { atS: 4, cmd: { type: 'seat.player', node: 'shop-lb' } },
  { atS: 12, cmd: { type: 'l7lb.poolSize', node: 'shop-lb', size: 2 } },
  { atS: 25, cmd: { type: 'l7lb.rule', node: 'shop-lb', prefix: '/api/checkout', pool: 'front' } },
  { atS: 35, cmd: { type: 'l7lb.ruleDelete', node: 'shop-lb', prefix: '/api/checkout' } },
  { atS: 52, cmd: { type: 'l7lb.sticky', node: 'shop-lb', on: false } },
  { atS: 75, cmd: { type: 'l7lb.algorithm', node: 'shop-lb', pool: 'api', algorithm: 'least-connections' } },
  {
    atS: 116,
    cmd: { type: 'l7lb.backend', node: 'shop-lb', pool: 'front', backend: 'web-1', state: 'drain' },
  },
  { atS: 120, cmd: { type: 'seat.bot', node: 'chat-lb', skill: 'expert' } },
]
  .sort((a, b) => a.atS - b.atS)
  .map(({ atS, cmd }) => ({ atUs: atS * US_PER_S, cmd: cmd as SimCommand }));

/** What players do in lesson 4's commanded run: the edge balancer's pool size, algorithm and a backend, and its seat handed back. */
const EDGE_PLAYERS: { atUs: number; cmd: SimCommand }[] = [
  { atS: 2, cmd: { type: 'seat.player', node: 'edge' } },
  { atS: 10, cmd: { type: 'l7lb.poolSize', node: 'edge', size: 4 } },
  { atS: 20, cmd: { type: 'l7lb.algorithm', node: 'edge', pool: 'web', algorithm: 'least-connections' } },
  { atS: 33, cmd: { type: 'l7lb.backend', node: 'edge', pool: 'web', backend: 'web-2', state: 'down' } },
  { atS: 52, cmd: { type: 'l7lb.backend', node: 'edge', pool: 'web', backend: 'web-2', state: 'up' } },
  { atS: 60, cmd: { type: 'l7lb.poolSize', node: 'edge', size: 0 } },
  { atS: 82, cmd: { type: 'l7lb.backend', node: 'edge', pool: 'web', backend: 'web-3', state: 'drain' } },
  { atS: 90, cmd: { type: 'seat.bot', node: 'edge', skill: 'expert' } },
].map(({ atS, cmd }) => ({ atUs: atS * US_PER_S, cmd: cmd as SimCommand }));

interface GoldenRun {
  records: number;
  recordHash: string;
  channels: unknown;
  score: unknown;
}

function run(
  file: string,
  seed: number,
  durationS: number,
  bots: boolean,
  botSkill: string | undefined,
  commands: { atUs: number; cmd: SimCommand }[],
): GoldenRun {
  const path = join(SCENARIOS, file);
  const scenario = loadScenario(readFileSync(path, 'utf8'), path);
  const hash = createHash('sha256');
  let records = 0;
  const report = runHeadless(scenario, seed, durationS * US_PER_S, {
    bots,
    botSkill,
    commands,
    onRecord: (r) => {
      records++;
      hash.update(JSON.stringify(r));
      hash.update('\n');
    },
  });
  return { records, recordHash: hash.digest('hex'), channels: report.channels, score: report.score };
}

describe('golden runs: the record stream and metrics do not change by accident', () => {
  const update = process.env.UPDATE_GOLDEN === '1';
  const stored: Record<string, GoldenRun> = existsSync(GOLDEN)
    ? JSON.parse(readFileSync(GOLDEN, 'utf8'))
    : {};
  const fresh: Record<string, GoldenRun> = {};
  for (const { file, seed, durationS, bots, botSkill, commands } of RUNS) {
    const key = `${file} seed ${seed} ${durationS}s${bots === false ? ' no bots' : ''}${botSkill ? ` ${botSkill} bots` : ''}${commands ? ` ${commands}` : ''}`;
    it(key, () => {
      const list =
        commands === 'players'
          ? PLAYERS
          : commands === 'resolver players'
            ? RESOLVER_PLAYERS
            : commands === 'gslb players'
              ? GSLB_PLAYERS
              : commands === 'balancer players'
                ? BALANCER_PLAYERS
                : commands === 'edge players'
                  ? EDGE_PLAYERS
                  : [];
      const got = run(file, seed, durationS, bots ?? true, botSkill, list);
      fresh[key] = got;
      if (update) {
        if (Object.keys(fresh).length === RUNS.length)
          writeFileSync(GOLDEN, `${JSON.stringify(fresh, null, 2)}\n`);
        return;
      }
      expect(stored[key], `no golden for ${key}: run with UPDATE_GOLDEN=1`).toBeDefined();
      expect(got).toEqual(stored[key]);
    }, 120_000);
  }
});
