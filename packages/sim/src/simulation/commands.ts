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
  /**
   * A seat nobody holds: its role's bot takes over at `skill`, one of the role's
   * `botSkills` (default: the scenario's `botSkill`, else the role's default) (SPEC CMD-2, BOT-1).
   */
  | { type: 'seat.bot'; node: string; skill?: string }
  /** A player takes the seat: its bot stops acting (SPEC BOT-3). */
  | { type: 'seat.player'; node: string }
  | { type: 'link.set'; link: string; up: boolean }
  | { type: 'link.loss'; link: string; loss: number }
  /** NAT rebinding: the host's connections send from a new source port from now on (SPEC QUIC-10). */
  | { type: 'host.rebind'; host: string }
  /** A data centre goes dark or comes back (SPEC DC-3). */
  | { type: 'dc.outage'; dc: string; down: boolean }
  /** The host multiplies flow `flow`'s load (every flow's without one) by `factor` for `seconds` (SPEC TRF-5). */
  | { type: 'traffic.spike'; factor: number; seconds: number; flow?: string };
