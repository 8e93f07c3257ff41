import {
  type L7lbView,
  type Scenario,
  type ServerView,
  type SimRecord,
  type Simulation,
  viewL4lb,
  viewL7lb,
} from '@roundtrip/sim';

/**
 * One colour per backend of a balancer, by its place in the balancer's list: the map's
 * lines and the panel's swatches use the same one, so a player matches them at a glance.
 * Chosen apart from the packet colours (viewModel COLORS) and from each other.
 */
export const BACKEND_COLORS = [
  0xff8a65, 0xce93d8, 0x80deea, 0xc5e1a5, 0xf48fb1, 0xfff176, 0xb0bec5, 0x9fa8da,
];

export function backendColor(index: number): number {
  return BACKEND_COLORS[index % BACKEND_COLORS.length] as number;
}

/**
 * An L7 balancer's backends take colours in the order of its pools and then of each
 * pool's backends (a backend in two pools has one colour per pool): the colour index of
 * each pool's backends (SPEC VIEW-12).
 */
export function l7ColorIndexes(pools: readonly { backends: readonly unknown[] }[]): number[][] {
  let next = 0;
  return pools.map((p) => p.backends.map(() => next++));
}

/** `0xrrggbb` as CSS `#rrggbb`. */
export function cssColor(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

/** How long a balancer's line to a backend stays after its last new connection, wall ms. */
export const ASSIGN_FADE_MS = 1_500;
/** A line is thickest after this many new connections while it shows. */
const ASSIGN_WIDTH_STEPS = 6;

/** A line from a balancer to the backend it gave connections to just now (SPEC VIEW-9). */
export interface AssignDraw {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  color: number;
  /** 1 at a new connection, fading to 0 over ASSIGN_FADE_MS. */
  alpha: number;
  /** 0..1: how many connections it took while it showed, up to ASSIGN_WIDTH_STEPS. */
  weight: number;
}

/** A balanced backend's server: how full its queue and its workers are (SPEC VIEW-10). */
export interface ServerLoadDraw {
  /** The backend's node id (the scene draws along its card). */
  id: string;
  x: number;
  y: number;
  /** 0..1 of the queue limit, and of the concurrency. */
  queueFill: number;
  busyFill: number;
  color: number;
  /** Taken out by the player or by the health checks: drawn greyed. */
  out: boolean;
}

/** An L7 balancer's CPU beside its card: requests being read over its concurrency, its queue over the limit (SPEC VIEW-13). */
export interface CpuDraw {
  id: string;
  x: number;
  y: number;
  busyFill: number;
  queueFill: number;
}

/** An L7 balancer's pool: a thin line to each of its backends, always, and its name on the way to them (SPEC VIEW-12). */
export interface PoolDraw {
  /** Its balancer's node index. */
  lb: number;
  /** The pool's name ("api"). */
  name: string;
  /** Its tag: "pool api", or "api" where only that fits (mapLayout.ts placePoolTags). */
  label: string;
  /** Where its tag is written: on the way from the balancer to its backends' middle (`mx`, `my`) unless that is covered. */
  x: number;
  y: number;
  mx: number;
  my: number;
  members: { ax: number; ay: number; bx: number; by: number; color: number }[];
}

interface Trail {
  lb: number;
  backend: number;
  color: number;
  lastMs: number;
  count: number;
}

/** An L7 balancer's pools as the map draws them: each backend's node and colour index. */
interface L7Pools {
  pools: { name: string; backends: { host: number; color: number }[] }[];
}

/**
 * What the map shows of the balancers: a fading line per (balancer, backend) that took
 * a new connection (L4) or request (L7), each backend's queue, and an L7 balancer's pools
 * and CPU. One line per pair however much traffic arrives, so the cost is bounded by the
 * backends, not the traffic.
 */
export class BalancerTrails {
  /** By balancer, pool (0 for an L4 balancer) and backend node. */
  private readonly trails = new Map<string, Trail>();
  /** Per L4 balancer node: its backends' node indexes, in the balancer's order. */
  private readonly backendsOf = new Map<number, { host: number; index: number }[]>();
  private readonly l7 = new Map<number, L7Pools>();
  /** Requests each L7 backend had been given at the last frame, by trail key. */
  private readonly totals = new Map<string, number>();

  private readonly ids: readonly string[];

  constructor(sc: Scenario) {
    this.ids = sc.nodeIds;
    sc.file.nodes.forEach((n, lb) => {
      if (n.kind === 'l4lb')
        this.backendsOf.set(
          lb,
          n.backends.map((b, index) => ({ host: sc.nodeIndex.get(b.host) ?? -1, index })),
        );
      if (n.kind === 'l7lb') {
        const colors = l7ColorIndexes(n.pools);
        this.l7.set(lb, {
          pools: n.pools.map((p, i) => ({
            name: p.name,
            backends: p.backends.map((b, j) => ({
              host: sc.nodeIndex.get(b.host) ?? -1,
              color: backendColor(colors[i]?.[j] ?? j),
            })),
          })),
        });
      }
    });
  }

  /** Whether the network has L4 balancers, L7 ones (the legend names their lines). */
  get kinds(): { l4: boolean; l7: boolean } {
    return { l4: this.backendsOf.size > 0, l7: this.l7.size > 0 };
  }

  record(r: SimRecord, nowMs: number): void {
    if (r.k !== 'lbAssigned') return;
    const backend = this.backendsOf.get(r.node)?.find((b) => this.ids[b.host] === r.backend);
    if (!backend) return;
    this.bump(r.node, 0, backend.host, backendColor(backend.index), 1, nowMs);
  }

  private bump(lb: number, pool: number, host: number, color: number, count: number, nowMs: number): void {
    const key = `${lb}:${pool}:${host}`;
    const t = this.trails.get(key);
    if (t && nowMs - t.lastMs < ASSIGN_FADE_MS) {
      t.count += count;
      t.lastMs = nowMs;
      return;
    }
    this.trails.set(key, { lb, backend: host, color, lastMs: nowMs, count });
  }

  /**
   * Reads the L7 balancers off the replica once a frame: a backend given requests since
   * the last frame gets its line (VIEW-12); a replica rebuilt earlier starts the counts over.
   * Returns the views, for the frame's other L7 drawings.
   */
  observeL7(sim: Simulation | null, nowMs: number): Map<number, L7lbView> {
    const views = new Map<number, L7lbView>();
    if (!sim) return views;
    for (const [lb, pools] of this.l7) {
      const state = sim.st.roles[lb];
      if (state?.role !== 'l7lb') continue;
      const v = viewL7lb(sim, state);
      views.set(lb, v);
      v.pools.forEach((p, i) => {
        p.backends.forEach((b, j) => {
          const at = pools.pools[i]?.backends[j];
          if (!at) return;
          const key = `${lb}:${i}:${at.host}`;
          const before = this.totals.get(key);
          this.totals.set(key, b.total);
          if (before !== undefined && b.total > before)
            this.bump(lb, i, at.host, at.color, b.total - before, nowMs);
        });
      });
    }
    return views;
  }

  /** Each L7 balancer's pools: thin lines to their backends and the pool's name (VIEW-12). */
  pools(pos: readonly { x: number; y: number }[]): PoolDraw[] {
    const out: PoolDraw[] = [];
    for (const [lb, l7] of this.l7) {
      const a = pos[lb];
      if (!a) continue;
      for (const p of l7.pools) {
        const members = p.backends.flatMap((b) => {
          const at = pos[b.host];
          return at ? [{ ax: a.x, ay: a.y, bx: at.x, by: at.y, color: b.color }] : [];
        });
        if (members.length === 0) continue;
        const mx = members.reduce((s, m) => s + m.bx, 0) / members.length;
        const my = members.reduce((s, m) => s + m.by, 0) / members.length;
        out.push({
          lb,
          name: p.name,
          label: `pool ${p.name}`,
          x: a.x + (mx - a.x) * 0.45,
          y: a.y + (my - a.y) * 0.45,
          mx,
          my,
          members,
        });
      }
    }
    return out;
  }

  /** Each L7 balancer's CPU (VIEW-13), from this frame's views. */
  cpus(views: ReadonlyMap<number, L7lbView>, pos: readonly { x: number; y: number }[]): CpuDraw[] {
    const out: CpuDraw[] = [];
    for (const [lb, v] of views) {
      const at = pos[lb];
      if (!at) continue;
      out.push({
        id: v.id,
        x: at.x,
        y: at.y,
        busyFill: Math.min(1, v.cpu.busy / v.cpu.concurrency),
        queueFill:
          v.cpu.queueLimit > 0 ? Math.min(1, v.cpu.queued / v.cpu.queueLimit) : v.cpu.queued > 0 ? 1 : 0,
      });
    }
    return out;
  }

  assigns(nowMs: number, pos: readonly { x: number; y: number }[]): AssignDraw[] {
    const out: AssignDraw[] = [];
    for (const t of this.trails.values()) {
      const age = nowMs - t.lastMs;
      const a = pos[t.lb];
      const b = pos[t.backend];
      if (age >= ASSIGN_FADE_MS || !a || !b) continue;
      out.push({
        ax: a.x,
        ay: a.y,
        bx: b.x,
        by: b.y,
        color: t.color,
        alpha: 1 - age / ASSIGN_FADE_MS,
        weight: Math.min(1, t.count / ASSIGN_WIDTH_STEPS),
      });
    }
    return out;
  }

  /** The balanced backends' servers (VIEW-10; an L7 balancer's too, VIEW-12), once per backend node. */
  serverLoads(
    sim: Simulation | null,
    pos: readonly { x: number; y: number }[],
    l7Views: ReadonlyMap<number, L7lbView> = new Map(),
  ): ServerLoadDraw[] {
    if (!sim) return [];
    const out: ServerLoadDraw[] = [];
    const load = (
      id: string,
      host: number,
      b: { server: ServerView | null; admin: string; healthy: boolean },
      color: number,
    ) => {
      const at = pos[host];
      if (!at || !b.server || out.some((o) => o.id === id)) return;
      out.push({
        id,
        x: at.x,
        y: at.y,
        queueFill: b.server.queueLimit > 0 ? Math.min(1, b.server.queued / b.server.queueLimit) : 0,
        busyFill: b.server.concurrency > 0 ? Math.min(1, b.server.busy / b.server.concurrency) : 0,
        color,
        out: b.admin === 'down' || !b.healthy,
      });
    };
    for (const lb of this.backendsOf.keys()) {
      const state = sim.st.roles[lb];
      if (state?.role !== 'l4lb') continue;
      const v = viewL4lb(sim, state);
      v.backends.forEach((b, i) => {
        load(b.id, this.backendsOf.get(lb)?.[i]?.host ?? -1, b, backendColor(i));
      });
    }
    for (const [lb, v] of l7Views)
      v.pools.forEach((p, i) => {
        p.backends.forEach((b, j) => {
          const at = this.l7.get(lb)?.pools[i]?.backends[j];
          if (at) load(b.id, at.host, b, at.color);
        });
      });
    return out;
  }
}
