/** What a router's player (and its bot) may change: the table, hand forwarding, queue policies (SPEC CMD-1). */
import type { QueueDiscipline } from '../../link/queueing.ts';
import { portTowards } from '../../network/fib.ts';
import { deleteRoute, makeRoute, upsertRoute } from '../../network/forwarding.ts';
import { commitQueued } from '../../network/network.ts';
import type { CommandHandler } from '../role.ts';
import { forwardHeld } from './handForwarding.ts';
import { ROUTES_PER_ROUTER_MAX } from './spec.ts';
import type { RouterState } from './state.ts';

/** The router's commands; `node` names the router. */
export type RouterCommand =
  | { type: 'route.set'; node: string; prefix: string; via: string }
  | { type: 'route.delete'; node: string; prefix: string }
  | { type: 'hand.mode'; node: string; enabled: boolean }
  | { type: 'hand.forward'; node: string; packetId: number; via: string }
  /** The queue policy of the router's interface towards neighbour `via` (SPEC QUEUE-5). */
  | { type: 'queue.set'; node: string; via: string; discipline: QueueDiscipline };

type Handler<T extends RouterCommand['type']> = CommandHandler<
  RouterState,
  Extract<RouterCommand, { type: T }>
>;

const routeSet: Handler<'route.set'> = (sim, router, cmd) => {
  const via = sim.neighbour(router.node, cmd.via);
  if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
  const route = makeRoute(cmd.prefix, via);
  if (!route) return `"${cmd.prefix}" is not a prefix like 10.2.0.0/16 (host bits zero)`;
  if (router.routes.length >= ROUTES_PER_ROUTER_MAX && !router.routes.some((r) => r.prefix === cmd.prefix))
    return 'the forwarding table is full';
  upsertRoute(router.routes, route);
  sim.fib.invalidate(router.node);
  return null;
};

const routeDelete: Handler<'route.delete'> = (sim, router, cmd) => {
  if (!deleteRoute(router.routes, cmd.prefix)) return `${cmd.node} has no route for ${cmd.prefix}`;
  sim.fib.invalidate(router.node);
  return null;
};

const handMode: Handler<'hand.mode'> = (sim, router, cmd) => {
  router.handForwarding = cmd.enabled;
  sim.nodeModesChanged();
  if (!cmd.enabled) {
    // Waiting packets now follow the table, in arrival order.
    const waiting = router.handQueue.splice(0);
    for (const w of waiting) forwardHeld(sim, sim.hooks, router, w.packet, -1);
  }
  return null;
};

const handForward: Handler<'hand.forward'> = (sim, router, cmd) => {
  const via = sim.neighbour(router.node, cmd.via);
  if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
  const i = router.handQueue.findIndex((w) => w.packet.id === cmd.packetId);
  if (i < 0) return `packet ${cmd.packetId} is not waiting at ${cmd.node}`;
  const [wait] = router.handQueue.splice(i, 1);
  if (wait) forwardHeld(sim, sim.hooks, router, wait.packet, via);
  return null;
};

const queueSet: Handler<'queue.set'> = (sim, router, cmd) => {
  const via = sim.neighbour(router.node, cmd.via);
  if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
  const d = cmd.discipline;
  if (
    d.kind === 'red' &&
    !(
      d.minThPackets > 0 &&
      d.minThPackets < d.maxThPackets &&
      d.maxP > 0 &&
      d.maxP <= 1 &&
      d.weight > 0 &&
      d.weight <= 1
    )
  )
    return 'RED needs 0 < minTh < maxTh, 0 < maxP ≤ 1 and 0 < weight ≤ 1';
  const port = portTowards(sim, router.node, via);
  const dir = port ? sim.st.links[port.link]?.dirs[port.dir] : undefined;
  if (!port || !dir) return `${cmd.node} has no interface towards ${cmd.via}`;
  dir.discipline = { ...d };
  sim.interfacesChanged();
  commitQueued(sim, sim.hooks, port.link, port.dir);
  return null;
};

export const routerCommands = {
  'route.set': routeSet,
  'route.delete': routeDelete,
  'hand.mode': handMode,
  'hand.forward': handForward,
  'queue.set': queueSet,
} as const;
