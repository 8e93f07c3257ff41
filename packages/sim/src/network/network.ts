import { assert, IFACE_PRIORITY, NODE_HOST, NODE_ROLE, type SimCore } from '../engine/core.ts';
import type { LossReason } from '../engine/records.ts';
import { chance } from '../engine/rng.ts';
import type { Channel, LinkDirState, LinkState, Packet } from '../engine/state.ts';
import { msToUs, serializationUs } from '../engine/units.ts';
import {
  CHANNEL_CODE,
  CHANNELS,
  duplicate,
  F_DEPART,
  freeSlot,
  I_ARRIVING,
  I_CHANNEL,
  I_DOWNS,
  I_DST,
  I_FLOW,
  I_ID,
  I_LINK,
  I_NODE,
  I_SIZE,
  I_TTL,
  I_UNIT,
  ISTRIDE,
  pushPath,
  STRIDE,
} from '../engine/wire.ts';
import { decideLoss, jitteredDelayUs } from '../link/linkModels.ts';
import { admit, commitPending, dropPending, spillNewest, takeNext } from '../link/queueing.ts';
import type { LinkSpec } from '../scenario/scenarioSchema.ts';
import { NO_ROUTE, portTowards } from './fib.ts';

/**
 * Wiring from the network layer up to the transport layer. The network hands over
 * slots (wire.ts): the transport reads what it needs and frees the slot.
 */
export interface NetworkHooks {
  /** A packet reached the host it is addressed to; the hook takes the slot out of the network. */
  deliver(sim: SimCore, hostNode: number, slot: number): void;
  /** A packet was lost (the drop is already recorded); the network frees the slot afterwards. */
  lost(sim: SimCore, slot: number, reason: LossReason, node: number, link: number): void;
  /** The packet in `slot` as an object, taking it out of the network (hand forwarding holds objects). */
  take(sim: SimCore, slot: number): Packet;
}

/** Where a loss happened, as players read it: the link's id, else the node's. */
export function lossPlace(sim: SimCore, node: number, link: number): string {
  return link >= 0 ? (sim.sc.file.links[link]?.id ?? '') : (sim.sc.nodeIds[node] ?? '');
}

/** Records the drop of a packet in the network with its reason, at a node and optionally a link; frees its slot (SPEC SCORE-4). */
export function dropSlot(
  sim: SimCore,
  hooks: NetworkHooks,
  slot: number,
  reason: LossReason,
  node: number,
  link: number,
): void {
  const role = sim.st.roles[node];
  if (role) role.dropped++;
  const w = sim.st.wire;
  const i = slot * ISTRIDE;
  if (sim.listeners.length > 0)
    sim.emit({
      k: 'drop',
      tUs: sim.st.nowUs,
      packetId: w.ints[i + I_ID] as number,
      channel: CHANNELS[w.ints[i + I_CHANNEL] as number] as Channel,
      flow: w.ints[i + I_FLOW] as number,
      unit: w.ints[i + I_UNIT] as number,
      reason,
      node,
      link,
    });
  hooks.lost(sim, slot, reason, node, link);
  freeSlot(w, slot);
}

/** A host sends the packet in `slot`: it enters the network on the host's only interface (SPEC LINK-1). */
export function sendPacket(sim: SimCore, hooks: NetworkHooks, node: number, slot: number): void {
  const out = sim.sc.hostOut[node] as number;
  assert(out >= 0, 'hosts have one port');
  // A host of a dark data centre (SPEC DC-3: the role lane without a role) sends nothing.
  if (sim.nodeMode[node] === NODE_ROLE && sim.st.roles[node] === null)
    return dropSlot(sim, hooks, slot, 'host-down', node, -1);
  sendOnPort(sim, hooks, node, out >> 1, (out & 1) as 0 | 1, slot);
}

/** Puts a packet on a node's port; the interface's discipline admits it or drops it (SPEC LINK-1, QUEUE-2..4). */
export function sendOnPort(
  sim: SimCore,
  hooks: NetworkHooks,
  node: number,
  linkIndex: number,
  dir: 0 | 1,
  slot: number,
): void {
  const spec = sim.sc.file.links[linkIndex];
  const d = sim.ifaceDir[linkIndex * 2 + dir];
  assert(spec !== undefined && d !== undefined, 'the interface names a link');
  if ((sim.linkGate[linkIndex] as number) < 0)
    return dropSlot(sim, hooks, slot, 'link-down', node, linkIndex);
  const kind = sim.ifaceKind[linkIndex * 2 + dir] as number;
  const priority = kind === IFACE_PRIORITY;
  const high = priority && sim.st.wire.ints[slot * ISTRIDE + I_CHANNEL] === CHANNEL_CODE.udp;
  const refused = admit(d, kind, spec.queuePackets, high, sim.st.rngQueue, sim.st.nowUs);
  if (refused) {
    d.drops++;
    return dropSlot(sim, hooks, slot, refused, node, linkIndex);
  }
  if (priority) {
    (high ? d.queueHigh : d.queue).push(slot);
    if (d.inService < 0) startTransmission(sim, linkIndex, dir);
  } else commit(sim, hooks, spec, d, linkIndex, dir, slot);
}

/**
 * FIFO and RED (SPEC LINK-8): the packet is serialized after everything committed
 * before it, so its finish time is known now; its fate on the wire is decided and
 * its arrival scheduled now.
 */
function commit(
  sim: SimCore,
  hooks: NetworkHooks,
  spec: LinkSpec,
  d: LinkDirState,
  link: number,
  dir: 0 | 1,
  slot: number,
): void {
  const sizeBytes = sim.st.wire.ints[slot * ISTRIDE + I_SIZE] as number;
  const startUs = Math.max(sim.st.nowUs, d.busyUntilUs);
  const finishUs = startUs + serializationUs(sizeBytes, spec.bandwidthKbps * 1000);
  commitPending(d, sim.st.nowUs, finishUs, sizeBytes);
  leaveInterface(sim, hooks, spec, d, link, dir, slot, finishUs, true);
}

/** Strict priority: the next queued packet starts serializing once the transmitter is free. */
function startTransmission(sim: SimCore, link: number, dir: 0 | 1): void {
  const d = sim.st.links[link]?.dirs[dir];
  const spec = sim.sc.file.links[link];
  assert(d !== undefined && spec !== undefined && d.inService < 0, 'the transmitter is idle');
  // busyUntilUs is about to mean this packet's finish: a newest committed packet joins the ring first.
  spillNewest(d, sim.st.nowUs);
  const next = takeNext(d);
  assert(next !== undefined, 'transmission starts with a queued packet');
  d.inService = next;
  // Remember the link's failures so far: if it fails while this packet is sent, the packet is lost.
  sim.st.wire.ints[next * ISTRIDE + I_DOWNS] = (sim.st.links[link] as LinkState).downs;
  // After a switch from FIFO, packets committed before the switch go first.
  const startUs = Math.max(sim.st.nowUs, d.busyUntilUs);
  const sizeBytes = sim.st.wire.ints[next * ISTRIDE + I_SIZE] as number;
  d.busyUntilUs = startUs + serializationUs(sizeBytes, spec.bandwidthKbps * 1000);
  sim.schedule({ t: d.busyUntilUs, k: 'txDone', link, dir });
}

/** Strict priority: the packet in service finished serializing; the next one starts. */
export function onTxDone(sim: SimCore, hooks: NetworkHooks, link: number, dir: 0 | 1): void {
  const state = sim.st.links[link];
  const spec = sim.sc.file.links[link];
  assert(state !== undefined && spec !== undefined, 'txDone names a link');
  const d = state.dirs[dir];
  const slot = d.inService;
  assert(slot >= 0, 'txDone with a packet in service');
  d.inService = -1;
  leaveInterface(sim, hooks, spec, d, link, dir, slot, sim.st.nowUs, false);
  if (d.queue.length + d.queueHigh.length === 0) return;
  if (d.discipline.kind === 'priority') startTransmission(sim, link, dir);
  else commitQueued(sim, hooks, link, dir);
}

/**
 * After `queue.set` away from strict priority, its waiting packets are committed
 * in the order priority would have sent them (nothing can overtake them any more).
 */
export function commitQueued(sim: SimCore, hooks: NetworkHooks, link: number, dir: 0 | 1): void {
  const state = sim.st.links[link];
  const spec = sim.sc.file.links[link];
  assert(state !== undefined && spec !== undefined, 'commitQueued names a link');
  const d = state.dirs[dir];
  if (d.discipline.kind === 'priority' || d.inService >= 0) return;
  for (let slot = takeNext(d); slot !== undefined; slot = takeNext(d))
    commit(sim, hooks, spec, d, link, dir, slot);
}

/**
 * A packet's last bit leaves the interface at `departUs`: it is counted, then lost
 * (scripted, link down, loss model) or propagated, perhaps duplicated (SPEC LINK-3..7).
 * Under FIFO this runs when the packet is committed, before `departUs`.
 */
function leaveInterface(
  sim: SimCore,
  hooks: NetworkHooks,
  spec: LinkSpec,
  d: LinkDirState,
  link: number,
  dir: 0 | 1,
  slot: number,
  departUs: number,
  committed: boolean,
): void {
  d.txBytes += sim.st.wire.ints[slot * ISTRIDE + I_SIZE] as number;
  d.txPackets++;
  const from = sim.sc.linkEnds[link * 2 + dir] as number;
  const to = sim.sc.linkEnds[link * 2 + 1 - dir] as number;
  const scripted = spec.dropScript?.[dir === 0 ? 'ab' : 'ba'].includes(d.txPackets) ?? false;
  // The gate is the link's failure count while it is up, −1 while it is down.
  const gate = sim.linkGate[link] as number;
  if (gate < 0 || (!committed && sim.st.wire.ints[slot * ISTRIDE + I_DOWNS] !== gate))
    dropSlot(sim, hooks, slot, 'link-down', from, link);
  // Loss draws come from their own stream, so adding jitter or duplication never changes which packets are lost.
  else if (
    scripted ||
    (sim.linkLossy[link] === 1 &&
      lossApplies(spec.lossDirection, dir) &&
      decideLoss((sim.st.links[link] as LinkState).lossModel, d.lossMemory, sim.st.rngLoss))
  ) {
    // A committed packet is lost when it has left the interface, not before (records and badges show it then).
    if (committed) sim.schedule({ t: departUs, k: 'wireLoss', slot, node: from, link });
    else dropSlot(sim, hooks, slot, 'link-loss', from, link);
  } else {
    propagate(sim, gate, spec, d, slot, link, to, departUs);
    if (spec.duplicate > 0 && chance(sim.st.rngDuplicate, spec.duplicate))
      propagate(sim, gate, spec, d, duplicate(sim.st.wire, slot, sim.st.nextPacketId++), link, to, departUs);
  }
}

function lossApplies(direction: 'both' | 'ab' | 'ba', dir: 0 | 1): boolean {
  return direction === 'both' || (direction === 'ab') === (dir === 0);
}

/** Schedules a packet's arrival after the (jittered) propagation delay (SPEC LINK-2, LINK-6). */
function propagate(
  sim: SimCore,
  downs: number,
  spec: LinkSpec,
  d: LinkDirState,
  slot: number,
  link: number,
  to: number,
  departUs: number,
): void {
  const jitterUs = msToUs(spec.jitterMs);
  let arriveUs = departUs + jitteredDelayUs(msToUs(spec.latencyMs), jitterUs, sim.st.rngJitter);
  if (!spec.jitterReorders) arriveUs = Math.max(arriveUs, d.lastArrivalUs);
  d.lastArrivalUs = Math.max(d.lastArrivalUs, arriveUs);
  const w = sim.st.wire;
  w.hot[slot * STRIDE + F_DEPART] = departUs;
  const i = slot * ISTRIDE;
  w.ints[i + I_NODE] = to;
  w.ints[i + I_LINK] = link;
  w.ints[i + I_DOWNS] = downs;
  sim.scheduleArrival(slot, arriveUs);
}

/**
 * A link went down (SPEC LINK-2): its interfaces are flushed. Committed packets are
 * lost at their would-be arrival (their `downs` no longer matches), packets waiting
 * under strict priority are lost now, the one being serialized when it finishes.
 */
export function flushLink(sim: SimCore, hooks: NetworkHooks, link: number): void {
  const state = sim.st.links[link];
  assert(state !== undefined, 'flushLink names a link');
  state.downs++;
  state.dirs.forEach((d, dir) => {
    dropPending(d);
    if (d.inService < 0) d.busyUntilUs = Math.min(d.busyUntilUs, sim.st.nowUs);
    const from = sim.sc.linkEnds[link * 2 + dir] as number;
    for (let slot = takeNext(d); slot !== undefined; slot = takeNext(d))
      dropSlot(sim, hooks, slot, 'link-down', from, link);
  });
}

/** A committed packet that the link loses has left its interface: the loss happens now (SPEC LINK-3). */
export function onWireLoss(
  sim: SimCore,
  hooks: NetworkHooks,
  slot: number,
  node: number,
  link: number,
): void {
  dropSlot(sim, hooks, slot, 'link-loss', node, link);
}

/** A packet reached the far end of a link: the node and link its slot names. */
export function onArrive(sim: SimCore, hooks: NetworkHooks, slot: number): void {
  const ints = sim.st.wire.ints;
  const i = slot * ISTRIDE;
  const node = ints[i + I_NODE] as number;
  const link = ints[i + I_LINK] as number;
  ints[i + I_ARRIVING] = 0;
  // Lost if the link is down now or went down while the packet was queued or on the wire.
  if (sim.linkGate[link] !== ints[i + I_DOWNS]) return dropSlot(sim, hooks, slot, 'link-down', node, link);
  const mode = sim.nodeMode[node];
  if (mode === NODE_HOST) {
    if (ints[i + I_DST] !== ((sim.sc.hostAddr[node] as number) | 0))
      return dropSlot(sim, hooks, slot, 'wrong-host', node, -1);
    return hooks.deliver(sim, node, slot);
  }
  if (mode === NODE_ROLE) return sim.roleArrive(hooks, node, slot, link);
  forward(sim, hooks, node, slot, -1);
}

/**
 * Forwards a packet out of a node with a forwarding table (SPEC RT-1, RT-3): TTL is
 * decremented first and a packet whose TTL reaches 0 is dropped; then the next hop is
 * `viaNode` when given (hand forwarding), else the longest-prefix match.
 */
export function forward(
  sim: SimCore,
  hooks: NetworkHooks,
  router: number,
  slot: number,
  viaNode: number,
): void {
  const ints = sim.st.wire.ints;
  const i = slot * ISTRIDE;
  const ttl = (ints[i + I_TTL] as number) - 1;
  ints[i + I_TTL] = ttl;
  if (ttl <= 0) return dropSlot(sim, hooks, slot, 'ttl-expired', router, -1);
  let out: number;
  if (viaNode >= 0) {
    const port = portTowards(sim, router, viaNode);
    assert(port !== undefined, 'hand forwarding only names neighbours');
    out = port.link * 2 + port.dir;
  } else {
    out = sim.fib.interfaceTowards(sim, router, ints[i + I_DST] as number);
    if (out === NO_ROUTE) return dropSlot(sim, hooks, slot, 'no-route', router, -1);
  }
  (sim.st.forwardedByNode[router] as number)++;
  pushPath(sim.st.wire, slot, router);
  sendOnPort(sim, hooks, router, out >> 1, (out & 1) as 0 | 1, slot);
}
