import { assert, type NewEvent, type SimCore } from './core.ts';
import { lookupRoute } from './forwarding.ts';
import { decideLoss, jitteredDelayUs } from './linkModels.ts';
import { admit, enqueue, retireFinished, takeNext } from './queueing.ts';
import type { LossReason } from './records.ts';
import { chance } from './rng.ts';
import type { Port } from './scenario.ts';
import type { Packet, RouterState } from './state.ts';
import { msToUs, serializationUs } from './units.ts';

/** Most packets one router holds for hand forwarding (SPEC RT-6). */
export const HAND_QUEUE_MAX = 12;

/** Called when a packet reaches the host it is addressed to. */
export type HostDelivery = (sim: SimCore, hostNode: number, p: Packet) => void;
/** Called when a packet is lost anywhere, after the drop is recorded. */
export type LossHook = (sim: SimCore, p: Packet, reason: LossReason, where: string) => void;

/** Wiring from the network layer up to the transport layer. */
export interface NetworkHooks {
  deliver: HostDelivery;
  lost: LossHook;
}

/** Records a drop with its reason, at a node and optionally a link (SPEC SCORE-4). */
export function dropPacket(
  sim: SimCore,
  hooks: NetworkHooks,
  p: Packet,
  reason: LossReason,
  node: number,
  link: number,
): void {
  const router = sim.st.routers[node];
  if (router) router.dropped++;
  if (sim.listeners.length > 0)
    sim.emit({
      k: 'drop',
      tUs: sim.st.nowUs,
      packetId: p.id,
      channel: p.channel,
      flow: p.flow,
      unit: p.unit,
      reason,
      node,
      link,
    });
  const where = link >= 0 ? (sim.sc.file.links[link]?.id ?? '') : (sim.sc.nodeIds[node] ?? '');
  hooks.lost(sim, p, reason, where);
}

/** Puts a packet on a node's port; the interface's discipline admits it or drops it (SPEC LINK-1, QUEUE-2..4). */
export function sendOnPort(sim: SimCore, hooks: NetworkHooks, node: number, port: Port, p: Packet): void {
  const link = sim.st.links[port.link];
  const spec = sim.sc.file.links[port.link];
  assert(link !== undefined && spec !== undefined, 'port names a link');
  if (!link.up) return dropPacket(sim, hooks, p, 'link-down', node, port.link);
  const d = link.dirs[port.dir];
  retireFinished(d, sim.st.nowUs);
  const refused = admit(d, d.discipline, spec.queuePackets, p, sim.st.rngQueue);
  if (refused) {
    d.drops++;
    return dropPacket(sim, hooks, p, refused, node, port.link);
  }
  if (d.discipline.kind === 'priority') {
    enqueue(d, p);
    if (!d.inService) startTransmission(sim, port.link, port.dir);
  } else commit(sim, hooks, port.link, port.dir, p);
}

/**
 * FIFO and RED (SPEC LINK-8): the packet is serialized after everything committed
 * before it, so its finish time is known now; its fate on the wire is decided and
 * its arrival scheduled now, in the link direction's own FIFO lane.
 */
function commit(sim: SimCore, hooks: NetworkHooks, link: number, dir: 0 | 1, p: Packet): void {
  const d = sim.st.links[link]?.dirs[dir];
  const spec = sim.sc.file.links[link];
  assert(d !== undefined && spec !== undefined, 'commit names a link');
  const startUs = Math.max(sim.st.nowUs, d.busyUntilUs);
  const finishUs = startUs + serializationUs(p.sizeBytes, spec.bandwidthKbps * 1000);
  d.busyUntilUs = finishUs;
  d.pendingFinishUs.push(finishUs);
  d.pendingBytes.push(p.sizeBytes);
  leaveInterface(sim, hooks, link, dir, p, finishUs, true);
}

/** Strict priority: the next queued packet starts serializing once the transmitter is free. */
function startTransmission(sim: SimCore, link: number, dir: 0 | 1): void {
  const d = sim.st.links[link]?.dirs[dir];
  const spec = sim.sc.file.links[link];
  assert(d !== undefined && spec !== undefined && d.inService === null, 'the transmitter is idle');
  const next = takeNext(d);
  assert(next !== undefined, 'transmission starts with a queued packet');
  d.inService = next;
  // After a switch from FIFO, packets committed before the switch go first.
  const startUs = Math.max(sim.st.nowUs, d.busyUntilUs);
  d.busyUntilUs = startUs + serializationUs(next.sizeBytes, spec.bandwidthKbps * 1000);
  sim.schedule({ t: d.busyUntilUs, k: 'txDone', link, dir });
}

/** Strict priority: the packet in service finished serializing; the next one starts. */
export function onTxDone(sim: SimCore, hooks: NetworkHooks, link: number, dir: 0 | 1): void {
  const d = sim.st.links[link]?.dirs[dir];
  assert(d !== undefined, 'txDone names a link');
  const p = d.inService;
  assert(p !== null, 'txDone with a packet in service');
  d.inService = null;
  leaveInterface(sim, hooks, link, dir, p, sim.st.nowUs, false);
  if (d.queue.length + d.queueHigh.length === 0) return;
  if (d.discipline.kind === 'priority') startTransmission(sim, link, dir);
  else commitQueued(sim, hooks, link, dir);
}

/**
 * After `queue.set` away from strict priority, its waiting packets are committed
 * in the order priority would have sent them (nothing can overtake them any more).
 */
export function commitQueued(sim: SimCore, hooks: NetworkHooks, link: number, dir: 0 | 1): void {
  const d = sim.st.links[link]?.dirs[dir];
  assert(d !== undefined, 'commitQueued names a link');
  if (d.discipline.kind === 'priority' || d.inService) return;
  for (let p = takeNext(d); p !== undefined; p = takeNext(d)) commit(sim, hooks, link, dir, p);
}

/**
 * A packet's last bit leaves the interface at `departUs`: it is counted, then lost
 * (scripted, link down, loss model) or propagated, perhaps duplicated (SPEC LINK-3..7).
 * Under FIFO this runs when the packet is committed, before `departUs`.
 */
function leaveInterface(
  sim: SimCore,
  hooks: NetworkHooks,
  link: number,
  dir: 0 | 1,
  p: Packet,
  departUs: number,
  committed: boolean,
): void {
  const state = sim.st.links[link];
  const spec = sim.sc.file.links[link];
  assert(state !== undefined && spec !== undefined, 'the packet leaves over a link');
  const d = state.dirs[dir];
  d.txBytes += p.sizeBytes;
  d.txPackets++;
  const from = sim.sc.linkEnds[link * 2 + dir] as number;
  const to = sim.sc.linkEnds[link * 2 + 1 - dir] as number;
  const scripted = spec.dropScript?.[dir === 0 ? 'ab' : 'ba'].includes(d.txPackets) ?? false;
  if (!state.up) dropPacket(sim, hooks, p, 'link-down', from, link);
  // Loss draws come from their own stream, so adding jitter or duplication never changes which packets are lost.
  else if (
    scripted ||
    (lossApplies(spec.lossDirection, dir) && decideLoss(state.lossModel, d.lossMemory, sim.st.rngLoss))
  ) {
    // A committed packet is lost when it has left the interface, not before (records and badges show it then).
    if (committed) sim.schedule({ t: departUs, k: 'wireLoss', packet: p, node: from, link });
    else dropPacket(sim, hooks, p, 'link-loss', from, link);
  } else {
    propagate(sim, p, link, dir, to, departUs, committed);
    if (chance(sim.st.rngDuplicate, spec.duplicate))
      propagate(
        sim,
        { ...p, id: sim.st.nextPacketId++, path: [...p.path] },
        link,
        dir,
        to,
        departUs,
        committed,
      );
  }
}

function lossApplies(direction: 'both' | 'ab' | 'ba', dir: 0 | 1): boolean {
  return direction === 'both' || (direction === 'ab') === (dir === 0);
}

/** The lane of arrivals over one link direction (negative keys; delays use the others). */
function linkLaneKey(link: number, dir: 0 | 1): number {
  return -1 - (link * 2 + dir);
}

/** Schedules a packet's arrival after the (jittered) propagation delay (SPEC LINK-2, LINK-6). */
function propagate(
  sim: SimCore,
  p: Packet,
  link: number,
  dir: 0 | 1,
  to: number,
  departUs: number,
  committed: boolean,
): void {
  const spec = sim.sc.file.links[link];
  const state = sim.st.links[link];
  assert(spec !== undefined && state !== undefined, 'link exists');
  const d = state.dirs[dir];
  const jitterUs = msToUs(spec.jitterMs);
  let arriveUs = departUs + jitteredDelayUs(msToUs(spec.latencyMs), jitterUs, sim.st.rngJitter);
  if (!spec.jitterReorders) arriveUs = Math.max(arriveUs, d.lastArrivalUs);
  d.lastArrivalUs = Math.max(d.lastArrivalUs, arriveUs);
  const ev: NewEvent = { t: arriveUs, k: 'arrive', packet: p, node: to, link, departUs, downs: state.downs };
  // Jitter-free arrivals are in order: committed ones per link direction, the others per latency.
  if (jitterUs > 0) sim.schedule(ev);
  else if (committed) sim.scheduleInLane(linkLaneKey(link, dir), ev);
  else sim.scheduleAtFixedDelay(ev);
}

/** A committed packet that the link loses has left its interface: the loss happens now (SPEC LINK-3). */
export function onWireLoss(sim: SimCore, hooks: NetworkHooks, p: Packet, node: number, link: number): void {
  dropPacket(sim, hooks, p, 'link-loss', node, link);
}

/** A packet reached the far end of a link. */
export function onArrive(
  sim: SimCore,
  hooks: NetworkHooks,
  p: Packet,
  node: number,
  link: number,
  downs: number,
): void {
  // Lost if the link is down now or went down while the packet was queued or on the wire.
  const state = sim.st.links[link];
  if (!state?.up || state.downs !== downs) return dropPacket(sim, hooks, p, 'link-down', node, link);
  const router = sim.st.routers[node];
  if (!router) {
    if (p.dstAddr !== sim.sc.hostAddr[node]) return dropPacket(sim, hooks, p, 'wrong-host', node, -1);
    return hooks.deliver(sim, node, p);
  }
  if (router.handForwarding) return holdForHand(sim, hooks, router, p, link);
  forward(sim, hooks, router, p, -1);
}

function holdForHand(
  sim: SimCore,
  hooks: NetworkHooks,
  router: RouterState,
  p: Packet,
  fromLink: number,
): void {
  if (router.handQueue.length >= HAND_QUEUE_MAX)
    return dropPacket(sim, hooks, p, 'hand-queue-full', router.node, -1);
  router.handQueue.push({ packet: p, sinceUs: sim.st.nowUs, fromLink });
  sim.schedule({
    t: sim.st.nowUs + msToUs(sim.sc.file.handTimeoutMs),
    k: 'handTimeout',
    node: router.node,
    packetId: p.id,
  });
}

/** Hand-forwarding timer: the packet is dropped if it is still waiting (SPEC RT-5). */
export function onHandTimeout(sim: SimCore, hooks: NetworkHooks, node: number, packetId: number): void {
  const router = sim.st.routers[node];
  const i = router ? router.handQueue.findIndex((w) => w.packet.id === packetId) : -1;
  if (!router || i < 0) return;
  const [wait] = router.handQueue.splice(i, 1);
  if (wait) dropPacket(sim, hooks, wait.packet, 'hand-timeout', node, -1);
}

/**
 * Forwards a packet out of a router (SPEC RT-1, RT-3): TTL is decremented first and
 * a packet whose TTL reaches 0 is dropped; then the next hop is `viaNode` when
 * given (hand forwarding), else the longest-prefix match.
 */
export function forward(
  sim: SimCore,
  hooks: NetworkHooks,
  router: RouterState,
  p: Packet,
  viaNode: number,
): void {
  p.ttl -= 1;
  if (p.ttl <= 0) return dropPacket(sim, hooks, p, 'ttl-expired', router.node, -1);
  let via = viaNode;
  if (via < 0) {
    const route = lookupRoute(router.routes, p.dstAddr);
    if (!route) return dropPacket(sim, hooks, p, 'no-route', router.node, -1);
    via = route.viaNode;
  }
  const port = portTowards(sim, router.node, via);
  assert(port !== undefined, 'routes and hand forwarding only name neighbours');
  router.forwarded++;
  p.path.push(router.node);
  sendOnPort(sim, hooks, router.node, port, p);
}

/** The port from `node` to its neighbour `peer`: the first link that is up, else the first link. */
export function portTowards(sim: SimCore, node: number, peer: number): Port | undefined {
  let first: Port | undefined;
  for (const q of sim.sc.ports[node] ?? []) {
    if (q.peer !== peer) continue;
    if (sim.st.links[q.link]?.up) return q;
    first ??= q;
  }
  return first;
}
