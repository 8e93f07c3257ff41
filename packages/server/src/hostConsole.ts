import { randomInt } from 'node:crypto';
import type { Client } from '@colyseus/core';
import { type ErrorCode, KICKED_CLOSE_CODE, type Phase, type RoomState, TICK_HZ } from '@roundtrip/protocol';
import type { Scenario } from '@roundtrip/sim';
import type { BanList } from './bans.ts';
import type { Action } from './dispatch.ts';
import { nicknameSkeleton, normaliseNickname } from './nickname.ts';
import type { RoundEngine } from './roundEngine.ts';
import { seatMove, shuffledSeats } from './seatMoves.ts';

/** What the host console needs of its room. */
export interface ConsoleRoom {
  readonly state: RoomState;
  readonly clients: readonly Client[];
  readonly phase: Phase;
  readonly scenario: Scenario;
  readonly round: RoundEngine;
  readonly bans: BanList;
  /** Seat tokens and browser ids by session id (what a ban holds on to). */
  readonly playerTokens: ReadonlyMap<string, string>;
  readonly deviceIds: ReadonlyMap<string, string>;
  /** Nicknames of players who left this round (SPEC ROOM-2). */
  readonly departedNicknames: readonly string[];
  /** Copies a seat may be in before the round starts. */
  readonly lobbyCopyLimit: number;
  /** Forgets a player the host removed (their tokens, a held seat). */
  forgetPlayer(sessionId: string): void;
  kick(client: Client, reason: string, code: number): void;
}

/** The words a removed player reads (SPEC HOST-2). */
export const KICKED_TEXT = 'The host removed you from this round.';

type ConsoleAction = Extract<
  Action,
  { kind: 'kick' | 'rename' | 'seat' | 'shuffle' | 'step' | 'lossBurst' | 'spike' }
>;

/**
 * Carries out the host console's actions on players, seats and copies (SPEC HOST-2..6).
 * Returns null when done, else why it was refused (nothing changed), with its code.
 */
export function performConsole(
  room: ConsoleRoom,
  action: ConsoleAction,
): { code: ErrorCode; message: string } | null {
  const refuse = (message: string) => ({ code: 'rejected' as const, message });
  const during = room.phase === 'running' || room.phase === 'paused';
  switch (action.kind) {
    case 'kick': {
      const p = room.state.players.get(action.player);
      if (!p) return refuse('that player is no longer in this room');
      room.bans.add({
        nickname: p.nickname,
        token: room.playerTokens.get(action.player) ?? null,
        deviceId: room.deviceIds.get(action.player) ?? null,
      });
      const { copy, node } = p;
      room.state.players.delete(action.player);
      room.forgetPlayer(action.player);
      if (during) {
        room.round.playerRemoved(action.player);
        room.round.handToBot(copy, node);
      }
      const client = room.clients.find((c) => c.sessionId === action.player);
      if (client) room.kick(client, KICKED_TEXT, KICKED_CLOSE_CODE);
      return null;
    }
    case 'rename': {
      const p = room.state.players.get(action.player);
      if (!p) return refuse('that player is no longer in this room');
      const checked = normaliseNickname(action.nickname);
      if (!checked.ok) return refuse(`nickname: ${checked.message}`);
      const wanted = nicknameSkeleton(checked.nickname);
      for (const [id, other] of room.state.players)
        if (id !== action.player && nicknameSkeleton(other.nickname) === wanted)
          return refuse(`"${other.nickname}" is already in this room; pick another name`);
      if (room.departedNicknames.some((n) => nicknameSkeleton(n) === wanted))
        return refuse(`"${checked.nickname}" belongs to a player who left this round; pick another name`);
      if (room.bans.bars({ nickname: checked.nickname }))
        return refuse(`"${checked.nickname}" belongs to a player you removed; pick another name`);
      p.nickname = checked.nickname;
      return null;
    }
    case 'seat': {
      const players = [...room.state.players.entries()].map(([id, p]) => ({
        id,
        copy: p.copy,
        node: p.node,
      }));
      const limit = during ? room.round.copies.length : room.lobbyCopyLimit;
      const move = seatMove(players, room.scenario.seats, limit, action.player, action.copy, action.node);
      if (!move.ok) return refuse(move.message);
      const mover = room.state.players.get(action.player);
      if (!mover) return refuse('that player is no longer in this room');
      const from = { copy: mover.copy, node: mover.node, role: mover.role };
      const other = move.swapWith === null ? undefined : room.state.players.get(move.swapWith);
      if (during) {
        // Each takes their points along (SCORE-7); a seat a bot played is taken from it (BOT-3).
        const botPlays = (p: typeof mover) => p.covered || p.autopilot !== '';
        const [moverSeatBotPlayed, otherSeatBotPlayed] = [botPlays(mover), !other || botPlays(other)];
        room.round.playerMoved(action.player, move.seat, otherSeatBotPlayed);
        if (other && move.swapWith !== null) room.round.playerMoved(move.swapWith, from, moverSeatBotPlayed);
        // A seat left empty goes to its bot.
        if (!other) room.round.handToBot(from.copy, from.node);
      }
      if (other) {
        other.copy = from.copy;
        other.node = from.node;
        other.role = from.role;
      }
      mover.copy = move.seat.copy;
      mover.node = move.seat.node;
      mover.role = move.seat.role;
      // A player moved to another copy is sent that copy's network.
      if (during)
        for (const c of room.clients)
          if (c.sessionId === action.player || c.sessionId === move.swapWith) room.round.sendSnapshot(c);
      return null;
    }
    case 'shuffle': {
      const ids = [...room.state.players.keys()];
      if (ids.length === 0) return refuse('nobody has joined yet');
      const dealt = shuffledSeats(ids, room.scenario.seats, (n) => randomInt(n));
      for (const [id, seat] of dealt) {
        const p = room.state.players.get(id);
        if (!p) continue;
        p.copy = seat.copy;
        p.node = seat.node;
        p.role = seat.role;
      }
      return null;
    }
    case 'step': {
      const deltaUs =
        action.by === 'second' ? 1_000_000 : Math.round((1_000_000 / TICK_HZ) * room.state.timeScale);
      room.round.stepWhilePaused(Math.max(1, deltaUs));
      return null;
    }
    case 'lossBurst': {
      const copies = action.copies === 'all' ? room.round.copies.map((c) => c.index) : action.copies;
      for (const copy of copies) {
        const why = room.round.lossBurst(copy, action.link, action.loss, action.seconds);
        if (why !== null) return refuse(why);
      }
      return null;
    }
    case 'spike': {
      const flows = room.scenario.file.traffic;
      if (action.flow !== undefined && !flows.some((f) => f.id === action.flow))
        return refuse(`there is no flow "${action.flow}" in this lesson`);
      if (flows.length === 0) return refuse('this lesson has no traffic to spike');
      const copies = action.copies === 'all' ? room.round.copies.map((c) => c.index) : action.copies;
      const { factor, seconds, flow } = action;
      for (const copy of copies) {
        const queued = room.round.copies[copy]?.enqueue({
          cmd: { type: 'traffic.spike', factor, seconds, ...(flow === undefined ? {} : { flow }) },
          senderSessionId: null,
          request: 'host.trafficSpike',
        });
        if (queued !== null) return refuse(queued ?? `there is no team ${copy + 1}`);
      }
      return null;
    }
  }
}
