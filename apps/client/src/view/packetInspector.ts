import {
  findPacketSlot,
  LOSS_REASON_TEXT,
  type LossReason,
  type PacketHeaders,
  type PacketWhere,
  packetHeaders,
  type Simulation,
} from '@roundtrip/sim';
import type { Replica } from '../net/replica.ts';
import { formatHeaders, formatSimMs, type HeaderSection, packetTitle } from './headerFormat.ts';

/** What became of the inspected packet since it was frozen. */
export type PacketFate =
  | { k: 'network'; where: PacketWhere | null; ttl: number; hops: number }
  | { k: 'held'; node: number }
  | { k: 'dropped'; atUs: number; reason: LossReason; node: number; link: number }
  | { k: 'delivered'; byUs: number };

/** What the inspector panel shows: headers as frozen at the click, and the packet's fate now. */
export interface InspectorView {
  id: number;
  title: string;
  /** Simulated time of the click, µs. */
  capturedUs: number;
  sections: HeaderSection[];
  fate: PacketFate['k'];
  /** Where it is now, or how it ended, in words. */
  status: string;
  /** How long it has travelled (until it ended), and through how many routers. */
  travelled: string;
}

interface Inspected {
  headers: PacketHeaders;
  capturedUs: number;
  sections: HeaderSection[];
  fate: PacketFate;
}

/**
 * The packet a person clicked, frozen: its headers as read from the replica at the
 * click, and — read again each frame — where it is now, or when it was delivered or
 * dropped. It reads the replica only; the shared round goes on.
 */
export class PacketInspector {
  private readonly replica: Replica;
  private current: Inspected | null = null;
  private readonly unsubscribe: () => void;

  constructor(replica: Replica) {
    this.replica = replica;
    this.unsubscribe = replica.onRecord((r) => {
      const c = this.current;
      if (r.k !== 'drop' || !c || r.packetId !== c.headers.id || !isOpen(c.fate)) return;
      c.fate = { k: 'dropped', atUs: r.tUs, reason: r.reason, node: r.node, link: r.link };
    });
  }

  /** Freezes the packet with this id; false when it is not inside the network now. */
  inspect(id: number): boolean {
    const sim = this.replica.sim;
    if (!sim) return false;
    const headers = packetHeaders(sim, findPacketSlot(sim, id));
    if (!headers) return false;
    const sc = this.replica.scenario;
    const sections = formatHeaders(headers, {
      flowLabel: (flow) => {
        const spec = sc.file.traffic[flow];
        return spec ? spec.label || spec.id : `flow ${flow}`;
      },
    });
    this.current = {
      headers,
      capturedUs: sim.nowUs,
      sections,
      fate: { k: 'network', where: headers.where, ttl: headers.ttl, hops: headers.path.length },
    };
    return true;
  }

  close(): void {
    this.current = null;
  }

  /** Stops listening to the replica (the round screen is gone). */
  dispose(): void {
    this.current = null;
    this.unsubscribe();
  }

  /** The inspected packet's id while it is still inside the network (to highlight it), else null. */
  get liveId(): number | null {
    const c = this.current;
    return c && c.fate.k === 'network' ? c.headers.id : null;
  }

  /** What to show now; null when nothing is inspected. */
  view(): InspectorView | null {
    const c = this.current;
    const sim = this.replica.sim;
    if (!c) return null;
    if (sim && isOpen(c.fate)) c.fate = fateNow(sim, c.headers.id);
    const endUs =
      c.fate.k === 'dropped'
        ? c.fate.atUs
        : c.fate.k === 'delivered'
          ? c.fate.byUs
          : (sim?.nowUs ?? c.capturedUs);
    return {
      id: c.headers.id,
      title: packetTitle(c.headers),
      capturedUs: c.capturedUs,
      sections: c.sections,
      fate: c.fate.k,
      status: this.statusText(c.fate, sim?.nowUs ?? c.capturedUs),
      travelled: travelledText(c.fate, endUs - c.headers.createdUs),
    };
  }

  private statusText(fate: PacketFate, nowUs: number): string {
    const sc = this.replica.scenario;
    const node = (i: number) => {
      const n = sc.file.nodes[i];
      return n ? n.label || n.id : `node ${i}`;
    };
    const link = (i: number) => sc.file.links[i]?.id ?? `link ${i}`;
    switch (fate.k) {
      case 'network': {
        const w = fate.where;
        if (!w) return `In the network · TTL now ${fate.ttl}`;
        const hop = `${link(w.link)}, ${node(w.fromNode)} → ${node(w.toNode)}`;
        if (w.state === 'queued') return `Queued at ${node(w.fromNode)} for ${hop} · TTL now ${fate.ttl}`;
        return `On ${hop}, arrives in ${formatSimMs(Math.max(0, w.arriveUs - nowUs))} · TTL now ${fate.ttl}`;
      }
      case 'held':
        return `Waiting at ${node(fate.node)} to be forwarded by hand`;
      case 'dropped': {
        const where = fate.link >= 0 ? `on ${link(fate.link)}` : `at ${node(fate.node)}`;
        return `Dropped ${where} at t = ${formatSimMs(fate.atUs)}: ${LOSS_REASON_TEXT[fate.reason]}`;
      }
      case 'delivered':
        return `Delivered by t = ${formatSimMs(fate.byUs)}`;
    }
  }
}

/** How long it travelled: so far, until its drop, or (seen at a tick, not at the instant) within when it was delivered. */
function travelledText(fate: PacketFate, us: number): string {
  if (fate.k === 'delivered') return `Delivered within ${formatSimMs(us)} of being sent`;
  if (fate.k === 'dropped') return `${formatSimMs(us)} in the network until the drop`;
  if (fate.k === 'held') return `${formatSimMs(us)} since it was sent`;
  return `${formatSimMs(us)} since it was sent · ${fate.hops} router${fate.hops === 1 ? '' : 's'} so far`;
}

function isOpen(fate: PacketFate): boolean {
  return fate.k === 'network' || fate.k === 'held';
}

/** Where the packet is now: in a slot, held at a router for hand forwarding, or gone (delivered: a drop says so first). */
function fateNow(sim: Simulation, id: number): PacketFate {
  const h = packetHeaders(sim, findPacketSlot(sim, id));
  if (h) return { k: 'network', where: h.where, ttl: h.ttl, hops: h.path.length };
  const held = sim.st.roles.findIndex(
    (r) => r?.role === 'router' && r.handQueue.some((wait) => wait.packet.id === id),
  );
  if (held >= 0) return { k: 'held', node: held };
  return { k: 'delivered', byUs: sim.nowUs };
}
