import type { QueueDiscipline } from '../link/queueing.ts';

/**
 * Commands change the simulation from outside: players and the host. The room
 * orders them; authority and replicas apply the same list at the same simulated
 * time, so they stay equal (SPEC SYNC-1).
 */
export type SimCommand =
  | { type: 'route.set'; node: string; prefix: string; via: string }
  | { type: 'route.delete'; node: string; prefix: string }
  | { type: 'hand.mode'; node: string; enabled: boolean }
  | { type: 'hand.forward'; node: string; packetId: number; via: string }
  /** A seat nobody holds: its bot installs the scenario's bot routes and stops hand forwarding. */
  | { type: 'seat.bot'; node: string }
  /** A router's queue policy on its interface towards neighbour `via` (SPEC QUEUE-5). */
  | { type: 'queue.set'; node: string; via: string; discipline: QueueDiscipline }
  | { type: 'link.set'; link: string; up: boolean }
  | { type: 'link.loss'; link: string; loss: number }
  /** NAT rebinding: the host's connections send from a new source port from now on (SPEC QUIC-10). */
  | { type: 'host.rebind'; host: string };

/** The result of applying a command: null when it took effect, else why not. */
export type CommandError = string | null;
