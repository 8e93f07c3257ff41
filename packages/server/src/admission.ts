import { ErrorCode, ServerError } from '@colyseus/core';
import { joinOptions, MAX_PLAYERS, type Phase, PROJECTORS_MAX } from '@roundtrip/protocol';
import type { ScenarioSeat } from '@roundtrip/sim';
import { BANNED_TEXT, type BanList } from './bans.ts';
import { describeIssues } from './dispatch.ts';
import { hostTokenMatches } from './hostToken.ts';
import { nicknameSkeleton, normaliseNickname } from './nickname.ts';
import { firstFreeSeat, type Seat, teamSeat } from './seats.ts';

/** What onAuth decided a connection is; Colyseus keeps it as `client.auth`. */
export type JoinAuth =
  | { role: 'host' }
  /** A read-only projector view, opened with the host's projector key (SPEC HOST-9). */
  | { role: 'projector' }
  | { role: 'player'; nickname: string; deviceId?: string; team?: number }
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
  /** The host closed the room to new players (SPEC HOST-1). */
  locked: boolean;
  /** Players the host removed (SPEC HOST-2). */
  bans: BanList;
  /** The key a projector joins with, and projectors connected now (SPEC HOST-9). */
  projectorKey: string;
  projectors: number;
  /** A competition's team names (SPEC COMP-1); empty in a class room. */
  teams: readonly string[];
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
  const has = (key: string) => typeof options === 'object' && options !== null && key in options;
  // Validate against the one shape the client meant, so the error names its field.
  const shape = has('hostToken') ? 1 : has('projectorKey') ? 2 : 0;
  const parsed = joinOptions.options[shape].safeParse(options ?? {});
  if (!parsed.success) throw refuse(`join options: ${describeIssues(parsed.error)}`);
  if ('hostToken' in parsed.data) {
    if (!hostTokenMatches(parsed.data.hostToken, hostToken))
      throw refuse('that host token does not belong to this room');
    return { role: 'host' };
  }
  if ('projectorKey' in parsed.data) {
    if (!hostTokenMatches(parsed.data.projectorKey, view.projectorKey))
      throw refuse('that projector link does not belong to this room; open it again from the host console');
    if (view.projectors >= PROJECTORS_MAX) throw refuse(`at most ${PROJECTORS_MAX} projectors per room`);
    return { role: 'projector' };
  }
  const checked = normaliseNickname(parsed.data.nickname);
  if (!checked.ok) throw refuse(`nickname: ${checked.message}`);
  const token = parsed.data.playerToken;
  const deviceId = parsed.data.deviceId;
  if (view.bans.bars({ nickname: checked.nickname, token, deviceId })) throw refuse(BANNED_TEXT);
  if (token !== undefined) {
    for (const [sessionId, held] of view.held)
      if (held.nickname === checked.nickname && hostTokenMatches(token, held.token))
        return { role: 'player', nickname: checked.nickname, reclaims: sessionId };
  }
  if (view.locked) throw refuse('the host has locked this room; ask them to open it');
  const team = parsed.data.team;
  seatFor(checked.nickname, view, team);
  return {
    role: 'player',
    nickname: checked.nickname,
    ...(deviceId === undefined ? {} : { deviceId }),
    ...(team === undefined ? {} : { team }),
  };
}

/**
 * The seat a new player with `nickname` gets, or a ServerError saying why not.
 * The first seat nobody holds; past the existing copies' seats (bots' seats mid-round)
 * a new copy opens, in the lobby or mid-round (SPEC ROOM-3, HOST-10). After a round
 * ends, a joiner is seated for the next one. In a competition the seat is in the team
 * `team` names, or in the smallest team; no copy opens past the teams (SPEC COMP-2).
 */
export function seatFor(nickname: string, view: AdmissionView, team?: number): Seat {
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
  if (view.teams.length > 0) return competitionSeat(view, team);
  if (team !== undefined) throw refuse('this room is not a competition; join without a team');
  const seat = firstFreeSeat(view.players, view.seats, Math.ceil(MAX_PLAYERS / view.seats.length));
  if (!seat) throw refuse('every seat in this round is taken; you can join when the host starts a new round');
  return seat;
}

function competitionSeat(view: AdmissionView, team: number | undefined): Seat {
  const seat = teamSeat(view.players, view.seats, view.teams.length, team);
  if (seat) return seat;
  if (team === undefined) throw refuse('every team is full; ask the host for another competition');
  const name = view.teams[team];
  if (name === undefined)
    throw refuse(`there is no team ${team + 1}; this competition has ${view.teams.length} teams`);
  throw refuse(`team "${name}" is full (${view.seats.length} players); pick another team`);
}
