/** Hand forwarding (lesson 1, SPEC RT-5, RT-6): packets wait at the router until its player sends them on. */
import type { SimCore } from '../../engine/core.ts';
import type { Packet } from '../../engine/state.ts';
import { msToUs } from '../../engine/units.ts';
import { inject } from '../../engine/wire.ts';
import { dropSlot, forward, type NetworkHooks } from '../../network/network.ts';
import type { RouterState } from './state.ts';

/** Most packets one router holds for hand forwarding (SPEC RT-6). */
export const HAND_QUEUE_MAX = 12;

/** A packet arrived at a router in hand mode: it waits, up to `handTimeoutMs` (SPEC RT-5). */
export function holdForHand(
  sim: SimCore,
  hooks: NetworkHooks,
  router: RouterState,
  slot: number,
  fromLink: number,
): void {
  if (router.handQueue.length >= HAND_QUEUE_MAX)
    return dropSlot(sim, hooks, slot, 'hand-queue-full', router.node, -1);
  const p = hooks.take(sim, slot);
  router.handQueue.push({ packet: p, sinceUs: sim.st.nowUs, fromLink });
  sim.schedule({
    t: sim.st.nowUs + msToUs(sim.sc.file.handTimeoutMs),
    k: 'roleTimer',
    node: router.node,
    arg: p.id,
  });
}

/** Hand-forwarding timer: the packet is dropped if it is still waiting (SPEC RT-5). */
export function onHandTimeout(
  sim: SimCore,
  hooks: NetworkHooks,
  router: RouterState,
  packetId: number,
): void {
  const i = router.handQueue.findIndex((w) => w.packet.id === packetId);
  if (i < 0) return;
  const [wait] = router.handQueue.splice(i, 1);
  if (wait) dropSlot(sim, hooks, inject(sim.st.wire, wait.packet), 'hand-timeout', router.node, -1);
}

/** A packet a player held by hand goes on: by hand towards `viaNode`, or by the table when −1 (SPEC RT-5). */
export function forwardHeld(
  sim: SimCore,
  hooks: NetworkHooks,
  router: RouterState,
  p: Packet,
  viaNode: number,
): void {
  forward(sim, hooks, router.node, inject(sim.st.wire, p), viaNode);
}
