import type { RoleName, SimCommand } from '@roundtrip/sim';
import type { z } from 'zod';
import type { Phase } from '../state.ts';

/**
 * Who may send a message (SPEC ROOM-5): only the host, the host or a projector
 * (`viewer`: connections that watch without a seat), any connection in the room,
 * any seated player (`player`), or a player whose seat holds the named role.
 */
export type MessageSender = 'host' | 'viewer' | 'anyone' | 'player' | { role: RoleName };

/** What every message declares; `sender` and `phases` are required, so none is accepted by omission. */
interface MessageBase<T extends string, S extends z.ZodType> {
  /** The wire type, e.g. `route.set`. */
  type: T;
  /** The payload's validator (SPEC MSG-1). */
  schema: S;
  /** Phases in which the room accepts it (SPEC ROOM-4). */
  phases: readonly Phase[];
}

/** A message the room acts on itself (host controls, sync requests). */
export interface RoomMessageDefinition<T extends string, S extends z.ZodType> extends MessageBase<T, S> {
  sender: 'host' | 'viewer' | 'anyone' | 'player';
}

/** A message a player's role sends: the room turns it into a command for the player's own node. */
export interface RoleMessageDefinition<T extends string, S extends z.ZodType> extends MessageBase<T, S> {
  sender: { role: RoleName };
  /** The simulation command for this payload, sent from the seat at `node` (SPEC CMD-3). */
  toCommand(payload: z.output<S>, node: string): SimCommand;
}

/** One client message: its type, validator, sender and phases (and, for role messages, its command). */
export type MessageDefinition<T extends string = string, S extends z.ZodType = z.ZodType> =
  | RoomMessageDefinition<T, S>
  | RoleMessageDefinition<T, S>;

/**
 * Declares one client message. The type parameters keep the literal type and
 * the schema, so senders and the room see the exact payload type.
 */
export function defineMessage<const T extends string, S extends z.ZodType>(
  definition: RoleMessageDefinition<T, S>,
): RoleMessageDefinition<T, S>;
export function defineMessage<const T extends string, S extends z.ZodType>(
  definition: RoomMessageDefinition<T, S>,
): RoomMessageDefinition<T, S>;
export function defineMessage(definition: MessageDefinition): MessageDefinition {
  return definition;
}

/** True for messages a role sends (as opposed to the host or anyone). */
export function isRoleMessage<T extends string, S extends z.ZodType>(
  definition: MessageDefinition<T, S>,
): definition is RoleMessageDefinition<T, S> {
  return typeof definition.sender === 'object';
}
