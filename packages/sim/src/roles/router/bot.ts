/**
 * The router's bot at its three skills (SPEC BOT-4): a novice keeps the table it was
 * given and fixes it late and not quite; a competent bot installs the scenario's bot
 * table; an expert does that and then, every second, steers around links that are down
 * or badly lossy by walking the paths its neighbours' tables actually take.
 */
import { chance, nextU32 } from '../../engine/rng.ts';
import { msToUs } from '../../engine/units.ts';
import type { LossModel } from '../../link/linkModels.ts';
import { type ForwardingTable, lookupRoute, makeRoute, type Route } from '../../network/forwarding.ts';
import { botTimerArg, type RoleHost } from '../role.ts';
import { routerCommands } from './commands.ts';
import type { RouterSpec } from './spec.ts';
import { type RouterState, routesFrom } from './state.ts';

export const ROUTER_BOT_SKILLS = ['novice', 'competent', 'expert'] as const;
export type RouterBotSkill = (typeof ROUTER_BOT_SKILLS)[number];

/** How long a novice takes to fix its table, simulated seconds. */
export const NOVICE_FIX_DELAY_S = 20;
/** The chance that the novice's fix leaves one of the bot table's routes out. */
export const NOVICE_SLIP_CHANCE = 0.5;
/** How often an expert looks at its links, simulated ms. */
export const EXPERT_CHECK_MS = 1_000;
/** A link losing at least this share of packets (long-run) is one an expert steers around. */
export const EXPERT_LOSSY = 0.2;
/** Longest path an expert walks before calling it a loop. */
const WALK_HOPS_MAX = 64;

/** Takes the seat at `skill` (SPEC BOT-4). */
export function routerBot(sim: RoleHost, r: RouterState, spec: RouterSpec, skill: string): string | null {
  r.botOverrides = [];
  if (skill === 'novice') {
    // Keeps what it was given (hand forwarding too) until the fix is due.
    r.routes = routesFrom(sim.sc, spec.routes);
    sim.fib.invalidate(r.node);
    schedule(sim, r, msToUs(NOVICE_FIX_DELAY_S * 1_000));
    return routerCommands['hand.mode'](sim, r, {
      type: 'hand.mode',
      node: spec.id,
      enabled: spec.handForwarding,
    });
  }
  r.routes = routesFrom(sim.sc, spec.botRoutes ?? spec.routes);
  sim.fib.invalidate(r.node);
  if (skill === 'expert') schedule(sim, r, msToUs(EXPERT_CHECK_MS));
  return routerCommands['hand.mode'](sim, r, { type: 'hand.mode', node: spec.id, enabled: false });
}

/** The bot's timer: the novice's one late fix, or the expert's regular look (SPEC BOT-4). */
export function onRouterBotTimer(sim: RoleHost, r: RouterState, spec: RouterSpec): void {
  if (r.botSkill === 'novice') return noviceFix(sim, r, spec);
  if (r.botSkill !== 'expert') return;
  steerAround(sim, r);
  schedule(sim, r, msToUs(EXPERT_CHECK_MS));
}

function schedule(sim: RoleHost, r: RouterState, afterUs: number): void {
  sim.schedule({ t: sim.st.nowUs + afterUs, k: 'roleTimer', node: r.node, arg: botTimerArg(r) });
}

/**
 * The bot table, hand forwarding off — but, by chance, one of the routes to change is
 * forgotten: that prefix keeps its route from the start table (or stays without one).
 */
function noviceFix(sim: RoleHost, r: RouterState, spec: RouterSpec): void {
  let table = spec.botRoutes ?? spec.routes;
  const had = new Set(spec.routes.map((x) => `${x.prefix}>${x.via}`));
  const changed = table.filter((x) => !had.has(`${x.prefix}>${x.via}`));
  if (changed.length > 0 && chance(sim.st.rngBot, NOVICE_SLIP_CHANCE)) {
    const forgotten = changed[nextU32(sim.st.rngBot) % changed.length];
    const old = spec.routes.find((x) => x.prefix === forgotten?.prefix);
    table = table.flatMap((x) => (x !== forgotten ? [x] : old ? [old] : []));
  }
  r.routes = routesFrom(sim.sc, table);
  sim.fib.invalidate(r.node);
  routerCommands['hand.mode'](sim, r, { type: 'hand.mode', node: spec.id, enabled: false });
}

/** A loss model's long-run loss rate. */
export function meanLoss(m: LossModel): number {
  if (m.kind === 'bernoulli') return m.p;
  if (m.kind === 'periodic') return 1 / m.every;
  const bad = m.p + m.r > 0 ? m.p / (m.p + m.r) : 0;
  return bad * m.lossInBad + (1 - bad) * m.lossInGood;
}

/** The usable link between neighbours `a` and `b` (up, not badly lossy; the shortest), or −1. */
function healthyLink(sim: RoleHost, a: number, b: number): number {
  let best = -1;
  for (const p of sim.sc.ports[a] ?? []) {
    if (p.peer !== b) continue;
    const link = sim.st.links[p.link];
    const spec = sim.sc.file.links[p.link];
    if (!link?.up || !spec || meanLoss(link.lossModel) >= EXPERT_LOSSY) continue;
    if (best < 0 || spec.latencyMs < (sim.sc.file.links[best]?.latencyMs ?? 0)) best = p.link;
  }
  return best;
}

/**
 * The one-way propagation delay, ms, of the path a packet for `dst` takes from `self`
 * over `firstHop` then by every router's live table — or null when it meets a dead or
 * lossy link, a loop, or a node that drops it.
 */
function walk(sim: RoleHost, self: number, firstHop: number, dst: number): number | null {
  let at = self;
  let next = firstHop;
  let ms = 0;
  const seen = new Set<number>([self]);
  for (let hops = 0; hops < WALK_HOPS_MAX; hops++) {
    const link = healthyLink(sim, at, next);
    if (link < 0 || seen.has(next)) return null;
    ms += sim.sc.file.links[link]?.latencyMs ?? 0;
    if (sim.sc.hostAddr[next] === dst) return ms;
    const table = sim.st.roles[next] as Partial<ForwardingTable> | null;
    if (!table?.routes) return null;
    const route = lookupRoute(table.routes, dst);
    if (!route) return null;
    seen.add(next);
    at = next;
    next = route.viaNode;
  }
  return null;
}

/**
 * For each address in the network whose path from here by the bot table is broken, a
 * /32 towards the neighbour with the shortest healthy path; /32s no longer needed go.
 */
function steerAround(sim: RoleHost, r: RouterState): void {
  const overrides = new Set(r.botOverrides ?? []);
  const base = r.routes.filter((x) => !overrides.has(x.prefix));
  const neighbours = [...new Set((sim.sc.ports[r.node] ?? []).map((p) => p.peer))];
  const wanted: Route[] = [];
  sim.sc.hostAddr.forEach((dst, node) => {
    if (dst < 0 || node === r.node) return;
    const current = lookupRoute(base, dst);
    if (current && walk(sim, r.node, current.viaNode, dst) !== null) return;
    let best: { via: number; ms: number } | null = null;
    for (const via of neighbours) {
      const ms = walk(sim, r.node, via, dst);
      if (ms !== null && (!best || ms < best.ms)) best = { via, ms };
    }
    const prefix = `${ipText(dst)}/32`;
    if (best && !base.some((x) => x.prefix === prefix)) wanted.push(makeRoute(prefix, best.via) as Route);
  });
  const same =
    wanted.length === overrides.size &&
    wanted.every((w) => r.routes.some((x) => x.prefix === w.prefix && x.viaNode === w.viaNode));
  if (same) return;
  r.routes = [...base, ...wanted].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  r.botOverrides = wanted.map((w) => w.prefix);
  sim.fib.invalidate(r.node);
}

function ipText(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}
