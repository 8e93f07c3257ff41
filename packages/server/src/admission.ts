import { ErrorCode, ServerError } from '@colyseus/core';
import { joinOptions, MAX_PLAYERS, type Phase } from '@roundtrip/protocol';
import type { ScenarioSeat } from '@roundtrip/sim';
import { describeIssues } from './dispatch.ts';
import { hostTokenMatches } from './hostToken.ts';
import { nicknameSkeleton, normaliseNickname } from './nickname.ts';
import { firstFreeSeat, type Seat } from './seats.ts';

/** What onAuth decided a connection is; Colyseus keeps it as `client.auth`. */
export type JoinAuth =
  | { role: 'host' }
  | { role: 'player'; nickname: string; device?: string }
  /** A player taking back the seat held for them since the server restarted (SPEC PERSIST-4). */
  | { role: 'player'; nickname: string; reclaims: string };

/** The parts of the room that decide whether someone may join. */
export interface AdmissionView {
  phase: Phase;
  players: readonly { nickname: string; copy: number; node: string }[];
  /** The seats of one copy, of any role, in scenario order (`Scenario.seats`). */
  seats: readonly ScenarioSeat[];
  /** Copies of the running round; 0 in the lobby. */
  copyCount: number;
  /** Nicknames of players who left this round: reserved until it ends (SPEC ROOM-2). */
  departedNicknames: readonly string[];
  /** Seats held since a restart for players not yet back: their session id → their token (SPEC PERSIST-4). */
  held: ReadonlyMap<string, { nickname: string; token: string }>;
}

/** A refused join: the SDK's join call rejects with this message. */
function refuse(message: string): ServerError {
  return new ServerError(ErrorCode.AUTH_FAILED, message);
}

/**
 * Decides who a joining connection is from its join options: the host coming
 * back with its token, or a new player with a nickname (SPEC ROOM-2, ROOM-3).
 * Throws a ServerError whose message says what to fix.
 */
export function admit(options: unknown, view: AdmissionView, hostToken: string): JoinAuth {
  const asHost = typeof options === 'object' && options !== null && 'hostToken' in options;
  // Validate against the one shape the client meant, so the error names its field.
  const parsed = joinOptions.options[asHost ? 1 : 0].safeParse(options ?? {});
  if (!parsed.success) throw refuse(`join options: ${describeIssues(parsed.error)}`);
  if ('hostToken' in parsed.data) {
    if (!hostTokenMatches(parsed.data.hostToken, hostToken))
      throw refuse('that host token does not belong to this room');
    return { role: 'host' };
  }
  const checked = normaliseNickname(parsed.data.nickname);
  if (!checked.ok) throw refuse(`nickname: ${checked.message}`);
  const token = parsed.data.playerToken;
  if (token !== undefined) {
    for (const [sessionId, held] of view.held)
      if (held.nickname === checked.nickname && hostTokenMatches(token, held.token))
        return { role: 'player', nickname: checked.nickname, reclaims: sessionId };
  }
  seatFor(checked.nickname, view);
  const device = parsed.data.device;
  return device === undefined
    ? { role: 'player', nickname: checked.nickname }
    : { role: 'player', nickname: checked.nickname, device };
}

/**
 * The seat a new player with `nickname` gets, or a ServerError saying why not.
 * In the lobby a full set of seats opens a new copy; mid-round only seats held
 * by bots in the existing copies are free.
 */
export function seatFor(nickname: string, view: AdmissionView): Seat {
  if (view.phase === 'ended') throw refuse('this round has ended; ask the host to open a new room');
  const wanted = nicknameSkeleton(nickname);
  const taken = view.players.find((p) => nicknameSkeleton(p.nickname) === wanted);
  if (taken)
    throw refuse(
      taken.nickname.toLowerCase() === nickname.toLowerCase()
        ? `the nickname "${nickname}" is already taken in this room; pick another`
        : `the nickname "${nickname}" looks like "${taken.nickname}", already in this room; pick another`,
    );
  if (view.departedNicknames.some((n) => nicknameSkeleton(n) === wanted))
    throw refuse(`the nickname "${nickname}" belongs to a player who left this round; pick another`);
  if (view.players.length >= MAX_PLAYERS) throw refuse(`this room is full (${MAX_PLAYERS} players)`);
  if (view.seats.length === 0) throw refuse('this lesson has no seats for players');
  const copyLimit = view.phase === 'lobby' ? Math.ceil(MAX_PLAYERS / view.seats.length) : view.copyCount;
  const seat = firstFreeSeat(view.players, view.seats, copyLimit);
  if (!seat) throw refuse('every seat in this round is taken; you can join when the host starts a new round');
  return seat;
}
