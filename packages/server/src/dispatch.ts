import {
  type ClientMessageDefinition,
  clientMessage,
  type ErrorCode,
  isRoleMessage,
  type MessageSender,
  type Phase,
} from '@roundtrip/protocol';
import type { SimCommand } from '@roundtrip/sim';
import type { ZodError } from 'zod';
import { type RoomMessageType, roomAction } from './roomActions.ts';
import type { Seat } from './seats.ts';

/** Who sent a message: the host, a projector (SPEC HOST-9), a player in a seat, or a connection with none of these. */
export type Sender =
  | { kind: 'host' }
  | { kind: 'projector' }
  | { kind: 'player'; seat: Seat }
  | { kind: 'none' };

/** What the room should do with an accepted message. */
export type Action =
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'end' }
  | { kind: 'timeScale'; scale: number }
  /** Queue `cmd` on copy `copy`; it takes effect at the next tick. */
  | { kind: 'command'; copy: number; cmd: SimCommand }
  | { kind: 'resync' }
  /** Host console (SPEC HOST-*): the room carries these out against its players and copies. */
  | { kind: 'lock'; locked: boolean }
  | { kind: 'kick'; player: string }
  | { kind: 'rename'; player: string; nickname: string }
  | { kind: 'seat'; player: string; copy: number; node: string }
  | { kind: 'shuffle' }
  | { kind: 'step'; by: 'tick' | 'second' }
  | { kind: 'lossBurst'; copies: number[] | 'all'; link: string; loss: number; seconds: number }
  | { kind: 'spike'; copies: number[] | 'all'; factor: number; seconds: number; flow?: string | undefined }
  | { kind: 'leaderboard'; visible: boolean }
  | { kind: 'next'; lesson: string; durationS?: number | undefined; timeScale?: number | undefined }
  | { kind: 'watch'; copy: number }
  /** The sender's seat goes to its bot at `skill`, or back to the sender with null (SPEC BOTS-2). */
  | { kind: 'autopilot'; skill: string | null }
  /** The sender moves to a free seat of team `team` (a competition's lobby, SPEC COMP-2). */
  | { kind: 'team'; team: number };

/** The verdict on one message: an action, or an error to send back (nothing changes). */
export type Decision = { ok: true; action: Action } | { ok: false; code: ErrorCode; message: string };

/** What a decision depends on besides the message. */
export interface DecisionContext {
  phase: Phase;
  sender: Sender;
  /** Copies in the running round (0 in the lobby). */
  copyCount: number;
}

function refuse(code: ErrorCode, message: string): Decision {
  return { ok: false, code, message };
}

/** Zod issues as one sentence that names each field. */
export function describeIssues(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * May `sender` send a message declared with `allowed` (SPEC ROOM-5)? 'host': only
 * the host; 'viewer': the host or a projector; 'player': a seated player; `{role}`: a player whose seat holds
 * that role; 'anyone': any connection.
 */
export function permits(allowed: MessageSender, sender: Sender): boolean {
  if (allowed === 'anyone') return true;
  if (allowed === 'host') return sender.kind === 'host';
  if (allowed === 'viewer') return sender.kind === 'host' || sender.kind === 'projector';
  if (allowed === 'player') return sender.kind === 'player';
  return sender.kind === 'player' && sender.seat.role === allowed.role;
}

function whoMay(allowed: MessageSender): string {
  if (allowed === 'host') return 'the host';
  if (allowed === 'anyone') return 'anyone';
  if (allowed === 'viewer') return 'the host or a projector';
  if (allowed === 'player') return 'a player in a seat';
  return `a player holding a ${allowed.role}`;
}

/**
 * Checks one client message, in this order: known type, valid payload, the
 * sender's permission, the room's phase (SPEC MSG-1, MSG-2, ROOM-4, ROOM-5).
 * Pure, so every rule is unit-testable; the room carries out the action.
 */
export function decide(ctx: DecisionContext, type: string, payload: unknown): Decision {
  const def: ClientMessageDefinition | undefined = clientMessage(type);
  if (!def) return refuse('unknown-message', `"${type}" is not a message this room understands`);
  // A message sent without a payload arrives as undefined: treat it as {}.
  const parsed = def.schema.safeParse(payload ?? {});
  if (!parsed.success) return refuse('invalid-message', `${type}: ${describeIssues(parsed.error)}`);
  if (!permits(def.sender, ctx.sender))
    return refuse('forbidden', `only ${whoMay(def.sender)} may send ${type}`);
  if (!def.phases.includes(ctx.phase))
    return refuse('wrong-phase', `${type} is not allowed while the round is ${ctx.phase}`);
  if (isRoleMessage(def)) {
    // permits() let only a seated player of the message's role through.
    if (ctx.sender.kind !== 'player')
      return refuse('forbidden', `only ${whoMay(def.sender)} may send ${type}`);
    const { copy, node } = ctx.sender.seat;
    // The payload was parsed by this definition's own schema, so it fits its toCommand.
    const toCommand = def.toCommand as (payload: unknown, node: string) => SimCommand;
    return { ok: true, action: { kind: 'command', copy, cmd: toCommand(parsed.data, node) } };
  }
  return roomAction(def.type as RoomMessageType, parsed.data, ctx.copyCount);
}
