/**
 * Tables the hop path reads instead of the state's objects (SPEC SIM-8): derived,
 * never state — rebuilt from the state on restore and by every command that changes
 * what they derive from, so they change nothing but speed.
 */
import { IFACE_FIFO, IFACE_PRIORITY, IFACE_RED, NODE_HOST, NODE_ROLE } from '../engine/core.ts';
import type { LinkDirState, SimState } from '../engine/state.ts';
import type { Scenario } from '../scenario/scenario.ts';

/** The derived tables (the Simulation holds them as its own fields: the hop path reads them with one load). */
export interface DerivedTables {
  readonly linkGate: Int32Array;
  readonly linkLossy: Uint8Array;
  readonly nodeMode: Int8Array;
  readonly ifaceKind: Int8Array;
  readonly ifaceDir: LinkDirState[];
}

/** Rebuilds `nodeMode` from the role nodes' state: each role says how its node takes packets now. */
export function syncNodeModes(t: DerivedTables, st: SimState, sc: Scenario): void {
  const dcOf = sc.regions.dcOfNode;
  st.roles.forEach((r, node) => {
    // A host of a dark data centre (SPEC DC-3) takes the role lane without a role: Simulation.roleArrive
    // drops what reaches it, so outages cost the host and forwarding lanes nothing.
    const dark = !r && (dcOf[node] as number) >= 0 && st.dcDown[dcOf[node] as number] === true;
    t.nodeMode[node] = r ? sc.roles.of(r).mode(r) : dark ? NODE_ROLE : NODE_HOST;
  });
}

/** Whether `node` is a host of a dark data centre (SPEC DC-3): no role, yet the role lane. */
export function isDarkHost(t: DerivedTables, st: SimState, node: number): boolean {
  return t.nodeMode[node] === NODE_ROLE && st.roles[node] === null;
}

/** Rebuilds `ifaceKind` and `ifaceDir` from the links' state. */
export function syncIfaces(t: DerivedTables, st: SimState): void {
  st.links.forEach((l, i) => {
    l.dirs.forEach((d, dir) => {
      t.ifaceDir[i * 2 + dir] = d;
      const kind = d.discipline.kind;
      t.ifaceKind[i * 2 + dir] = kind === 'fifo' ? IFACE_FIFO : kind === 'red' ? IFACE_RED : IFACE_PRIORITY;
    });
  });
}

/** Rebuilds `linkGate` and `linkLossy` from the links' state. */
export function syncLinkTables(t: DerivedTables, st: SimState): void {
  st.links.forEach((l, i) => {
    t.linkGate[i] = l.up ? l.downs : -1;
    t.linkLossy[i] = l.lossModel.kind === 'bernoulli' && l.lossModel.p <= 0 ? 0 : 1;
  });
}
