import { type Scenario, type SimRecord, type Simulation, viewL4lb } from '@roundtrip/sim';

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

interface Trail {
  lb: number;
  backend: number;
  color: number;
  lastMs: number;
  count: number;
}

/**
 * What the map shows of the L4 balancers: a fading line per (balancer, backend) that
 * took a new connection, and each backend's queue. One line per pair however many
 * connections arrive, so the cost is bounded by the backends, not the traffic.
 */
export class BalancerTrails {
  private readonly trails = new Map<number, Trail>();
  /** Per balancer node: its backends' node indexes, in the balancer's order. */
  private readonly backendsOf = new Map<number, { host: number; index: number }[]>();

  private readonly ids: readonly string[];

  constructor(sc: Scenario) {
    this.ids = sc.nodeIds;
    sc.file.nodes.forEach((n, lb) => {
      if (n.kind !== 'l4lb') return;
      this.backendsOf.set(
        lb,
        n.backends.map((b, index) => ({ host: sc.nodeIndex.get(b.host) ?? -1, index })),
      );
    });
  }

  record(r: SimRecord, nowMs: number): void {
    if (r.k !== 'lbAssigned') return;
    const backend = this.backendsOf.get(r.node)?.find((b) => this.ids[b.host] === r.backend);
    if (!backend) return;
    const key = r.node * 65_536 + backend.host;
    const t = this.trails.get(key);
    if (t && nowMs - t.lastMs < ASSIGN_FADE_MS) {
      t.count++;
      t.lastMs = nowMs;
      return;
    }
    this.trails.set(key, {
      lb: r.node,
      backend: backend.host,
      color: backendColor(backend.index),
      lastMs: nowMs,
      count: 1,
    });
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

  serverLoads(sim: Simulation | null, pos: readonly { x: number; y: number }[]): ServerLoadDraw[] {
    if (!sim) return [];
    const out: ServerLoadDraw[] = [];
    for (const lb of this.backendsOf.keys()) {
      const state = sim.st.roles[lb];
      if (state?.role !== 'l4lb') continue;
      const v = viewL4lb(sim, state);
      v.backends.forEach((b, i) => {
        const at = pos[this.backendsOf.get(lb)?.[i]?.host ?? -1];
        if (!at || !b.server) return;
        out.push({
          id: b.id,
          x: at.x,
          y: at.y,
          queueFill: b.server.queueLimit > 0 ? Math.min(1, b.server.queued / b.server.queueLimit) : 0,
          busyFill: b.server.concurrency > 0 ? Math.min(1, b.server.busy / b.server.concurrency) : 0,
          color: backendColor(i),
          out: b.admin === 'down' || !b.healthy,
        });
      });
    }
    return out;
  }
}
