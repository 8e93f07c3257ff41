import {
  type ClientMessage,
  type ClientMessageType,
  clientMessages,
  type ErrorCode,
  HOST_ONLY,
  type Phase,
} from '@roundtrip/protocol';
import type { SimCommand } from '@roundtrip/sim';
import type { ZodError } from 'zod';
import type { Seat } from './seats.ts';

/** Who sent a message: the host, a player in a seat, or a connection with neither role. */
export type Sender = { role: 'host' } | { role: 'player'; seat: Seat } | { role: 'none' };

/** What the room should do with an accepted message. */
export type Action =
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'end' }
  | { kind: 'timeScale'; scale: number }
  /** Queue `cmd` on copy `copy`; it takes effect at the next tick. */
  | { kind: 'command'; copy: number; cmd: SimCommand }
  | { kind: 'resync' };

/** The verdict on one message: an action, or an error to send back (nothing changes). */
export type Decision = { ok: true; action: Action } | { ok: false; code: ErrorCode; message: string };

/** What a decision depends on besides the message. */
export interface DecisionContext {
  phase: Phase;
  sender: Sender;
  /** Copies in the running round (0 in the lobby). */
  copyCount: number;
}

const PLAYER_ONLY: ReadonlySet<ClientMessageType> = new Set([
  'route.set',
  'route.delete',
  'hand.mode',
  'hand.forward',
]);

const DURING_ROUND: readonly Phase[] = ['running', 'paused'];

/** Phases in which each message is allowed (SPEC ROOM-4). */
const ALLOWED_PHASES: Record<ClientMessageType, readonly Phase[]> = {
  'host.start': ['lobby'],
  'host.pause': ['running'],
  'host.resume': ['paused'],
  'host.end': DURING_ROUND,
  'host.timeScale': ['lobby', 'running', 'paused'],
  'host.link': DURING_ROUND,
  'route.set': DURING_ROUND,
  'route.delete': DURING_ROUND,
  'hand.mode': DURING_ROUND,
  'hand.forward': DURING_ROUND,
  'sync.resync': ['running', 'paused', 'ended'],
};

function isMessageType(type: string): type is ClientMessageType {
  return Object.hasOwn(clientMessages, type);
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
 * Checks one client message, in this order: known type, valid payload, the
 * sender's role, the room's phase (SPEC MSG-1, MSG-2, ROOM-5). Pure, so every
 * rule is unit-testable; the room carries out the action.
 */
export function decide(ctx: DecisionContext, type: string, payload: unknown): Decision {
  if (!isMessageType(type))
    return refuse('unknown-message', `"${type}" is not a message this room understands`);
  // A message sent without a payload arrives as undefined: treat it as {}.
  const parsed = clientMessages[type].safeParse(payload ?? {});
  if (!parsed.success) return refuse('invalid-message', `${type}: ${describeIssues(parsed.error)}`);
  if (HOST_ONLY.has(type) && ctx.sender.role !== 'host')
    return refuse('forbidden', `only the host may send ${type}`);
  if (PLAYER_ONLY.has(type) && ctx.sender.role !== 'player')
    return refuse('forbidden', `only a player holding a router may send ${type}`);
  if (!ALLOWED_PHASES[type].includes(ctx.phase))
    return refuse('wrong-phase', `${type} is not allowed while the round is ${ctx.phase}`);
  return toAction(ctx, type, parsed.data);
}

function toAction(ctx: DecisionContext, type: ClientMessageType, data: unknown): Decision {
  const seat = ctx.sender.role === 'player' ? ctx.sender.seat : { copy: 0, router: '' };
  const command = (cmd: SimCommand): Decision => ({
    ok: true,
    action: { kind: 'command', copy: seat.copy, cmd },
  });
  switch (type) {
    case 'host.start':
      return { ok: true, action: { kind: 'start' } };
    case 'host.pause':
      return { ok: true, action: { kind: 'pause' } };
    case 'host.resume':
      return { ok: true, action: { kind: 'resume' } };
    case 'host.end':
      return { ok: true, action: { kind: 'end' } };
    case 'host.timeScale':
      return {
        ok: true,
        action: { kind: 'timeScale', scale: (data as ClientMessage<'host.timeScale'>).scale },
      };
    case 'host.link': {
      const m = data as ClientMessage<'host.link'>;
      if (m.copy >= ctx.copyCount)
        return refuse(
          'rejected',
          `there is no copy ${m.copy}; this round has copies 0 to ${ctx.copyCount - 1}`,
        );
      return {
        ok: true,
        action: { kind: 'command', copy: m.copy, cmd: { type: 'link.set', link: m.link, up: m.up } },
      };
    }
    case 'route.set': {
      const m = data as ClientMessage<'route.set'>;
      return command({ type: 'route.set', node: seat.router, prefix: m.prefix, via: m.via });
    }
    case 'route.delete':
      return command({
        type: 'route.delete',
        node: seat.router,
        prefix: (data as ClientMessage<'route.delete'>).prefix,
      });
    case 'hand.mode':
      return command({
        type: 'hand.mode',
        node: seat.router,
        enabled: (data as ClientMessage<'hand.mode'>).enabled,
      });
    case 'hand.forward': {
      const m = data as ClientMessage<'hand.forward'>;
      return command({ type: 'hand.forward', node: seat.router, packetId: m.packetId, via: m.via });
    }
    case 'sync.resync':
      return { ok: true, action: { kind: 'resync' } };
  }
}
