import type { RoleCommand } from '../roles/registry.ts';

export type { CommandError } from '../engine/core.ts';

/**
 * Commands change the simulation from outside: players, their bots and the host.
 * The room orders them; authority and replicas apply the same list at the same
 * simulated time, so they stay equal (SPEC SYNC-1). A role's commands are its own
 * (roles/<role>/commands.ts); these few belong to the network as a whole.
 */
export type SimCommand =
  | RoleCommand
  /** A seat nobody holds: its role's bot policy takes over (SPEC CMD-2). */
  | { type: 'seat.bot'; node: string }
  | { type: 'link.set'; link: string; up: boolean }
  | { type: 'link.loss'; link: string; loss: number }
  /** NAT rebinding: the host's connections send from a new source port from now on (SPEC QUIC-10). */
  | { type: 'host.rebind'; host: string }
  /** A data centre goes dark or comes back (SPEC DC-3). */
  | { type: 'dc.outage'; dc: string; down: boolean };
