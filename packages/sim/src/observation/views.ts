import { type ServerView, viewServer } from '../application/server.ts';
import type { Channel } from '../engine/state.ts';
import {
  CHANNELS,
  F_DEPART,
  F_T,
  flagsOf,
  I_ARRIVING,
  I_CHANNEL,
  I_ID,
  I_KIND,
  I_LINK,
  I_NODE,
  ISTRIDE,
  KIND_PACKET,
  STRIDE,
} from '../engine/wire.ts';
import { steadyStateLoss } from '../link/linkModels.ts';
import { occupancy, transmitted, transmittedBytes } from '../link/queueing.ts';
import type { Simulation } from '../simulation/simulation.ts';

/** A packet on the wire, for drawing: it left `fromNode` at departUs and reaches `toNode` at arriveUs. */
export interface PacketInFlight {
  id: number;
  channel: Channel;
  flags: number;
  link: number;
  fromNode: number;
  toNode: number;
  departUs: number;
  arriveUs: number;
}

/** Every packet propagating on a link now. Cost grows with packets in flight; callers draw, not store. */
export function packetsInFlight(sim: Simulation): PacketInFlight[] {
  const w = sim.st.wire;
  const out: PacketInFlight[] = [];
  for (let slot = 0; slot < w.highWater; slot++) {
    const i = slot * ISTRIDE;
    if (w.ints[i + I_KIND] !== KIND_PACKET || w.ints[i + I_ARRIVING] !== 1) continue;
    const departUs = w.hot[slot * STRIDE + F_DEPART] as number;
    // Committed packets still queued or serializing are not on the wire yet.
    if (departUs > sim.st.nowUs) continue;
    const link = w.ints[i + I_LINK] as number;
    const toNode = w.ints[i + I_NODE] as number;
    const a = sim.sc.linkEnds[2 * link] as number;
    out.push({
      id: w.ints[i + I_ID] as number,
      channel: CHANNELS[w.ints[i + I_CHANNEL] as number] as Channel,
      flags: flagsOf(w, slot),
      link,
      fromNode: toNode === a ? (sim.sc.linkEnds[2 * link + 1] as number) : a,
      toNode,
      departUs,
      arriveUs: w.hot[slot * STRIDE + F_T] as number,
    });
  }
  return out;
}

/** Figures for one direction of a link. */
export interface LinkDirView {
  queuePackets: number;
  txBytes: number;
  txPackets: number;
  drops: number;
}

export interface LinkView {
  id: string;
  a: string;
  b: string;
  up: boolean;
  loss: number;
  queueLimitPackets: number;
  bandwidthBps: number;
  latencyUs: number;
  dirs: [LinkDirView, LinkDirView];
}

/** Every link with its live figures, in scenario order. */
export function linkViews(sim: Simulation): LinkView[] {
  return sim.sc.file.links.map((spec, i) => {
    const st = sim.st.links[i];
    const dir = (d: 0 | 1): LinkDirView => {
      const s = st?.dirs[d];
      if (!s) return { queuePackets: 0, txBytes: 0, txPackets: 0, drops: 0 };
      const sent = transmitted(s, sim.st.nowUs);
      return {
        queuePackets: occupancy(s, sim.st.nowUs),
        txBytes: sent.bytes,
        txPackets: sent.packets,
        drops: s.drops,
      };
    };
    return {
      id: spec.id,
      a: spec.a,
      b: spec.b,
      up: st?.up ?? false,
      loss: st ? steadyStateLoss(st.lossModel) : 0,
      queueLimitPackets: spec.queuePackets,
      bandwidthBps: spec.bandwidthKbps * 1000,
      latencyUs: Math.round(spec.latencyMs * 1000),
      dirs: [dir(0), dir(1)],
    };
  });
}

/** One link's live counters, read by `readLinkCounters` into an object the caller keeps. */
export interface LinkCounters {
  up: boolean;
  bandwidthBps: number;
  /** Bytes sent a→b and b→a so far. */
  txBytes: [number, number];
  /** Packets queued a→b and b→a now. */
  queuePackets: [number, number];
  /** Queue drops, both directions. */
  drops: number;
}

/**
 * Link `link`'s counters into `out`, allocating nothing (the same figures as
 * `linkViews`): the server samples every link of every copy 4× a second, and building
 * every link's view each time was ~6 % of a room's tick (PERFORMANCE.md issue 16).
 */
export function readLinkCounters(sim: Simulation, link: number, out: LinkCounters): LinkCounters {
  const spec = sim.sc.file.links[link];
  const st = sim.st.links[link];
  out.up = st?.up ?? false;
  out.bandwidthBps = (spec?.bandwidthKbps ?? 0) * 1000;
  out.drops = 0;
  for (let d = 0; d < 2; d++) {
    const s = st?.dirs[d as 0 | 1];
    out.txBytes[d] = s ? transmittedBytes(s, sim.st.nowUs) : 0;
    out.queuePackets[d] = s ? occupancy(s, sim.st.nowUs) : 0;
    out.drops += s?.drops ?? 0;
  }
  return out;
}

/** A host's live figures (SPEC DC-2, DC-3): whether its data centre is dark, and a server's queue. */
export interface HostView {
  id: string;
  /** Its data centre's id, or '' outside any. */
  dc: string;
  dark: boolean;
  /** Requests processing and waiting, served and refused — a host with `server` only. */
  server: ServerView | null;
}

/** Every host in a data centre or with `server`, in scenario order. */
export function hostViews(sim: Simulation): HostView[] {
  const out: HostView[] = [];
  sim.sc.file.nodes.forEach((n, node) => {
    const dc = sim.sc.regions.dcOfNode[node] as number;
    if (n.kind !== 'host' || (dc < 0 && !n.server)) return;
    out.push({
      id: n.id,
      dc: sim.sc.file.dataCentres[dc]?.id ?? '',
      dark: dc >= 0 && sim.st.dcDown[dc] === true,
      server: viewServer(sim, node),
    });
  });
  return out;
}
