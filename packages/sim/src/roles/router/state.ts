import type { Packet } from '../../engine/state.ts';
import { makeRoute, type Route } from '../../network/forwarding.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RoleStateBase } from '../role.ts';
import type { RouterSpec } from './spec.ts';

/** A packet waiting at a router for its player to forward it by hand (lesson 1). */
export interface HandWait {
  packet: Packet;
  sinceUs: number;
  /** The link it arrived on, so the UI can show where it came from. */
  fromLink: number;
}

/** A router's state: its forwarding table, and the packets held for hand forwarding. */
export interface RouterState extends RoleStateBase {
  role: 'router';
  node: number;
  routes: Route[];
  handForwarding: boolean;
  handQueue: HandWait[];
  dropped: number;
  /** The /32s an expert bot added to steer around a broken path (SPEC BOT-4), so it can take them back. */
  botOverrides?: string[];
}

/** Routes from a scenario's table, next hops resolved to node indices (checked on load, SPEC SCN-2). */
export function routesFrom(sc: Scenario, table: readonly { prefix: string; via: string }[]): Route[] {
  return table.map((r) => makeRoute(r.prefix, sc.nodeIndex.get(r.via) as number) as Route);
}

export function initialRouterState(spec: RouterSpec, node: number, sc: Scenario): RouterState {
  return {
    role: 'router',
    node,
    routes: routesFrom(sc, spec.routes),
    handForwarding: spec.handForwarding,
    handQueue: [],
    dropped: 0,
  };
}
