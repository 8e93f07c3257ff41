/**
 * One headless player (SPEC BOTS-1): joins a room by its code as a player, then hands
 * its seat to the seat's own bot at a skill (`player.autopilot`, SPEC BOTS-2). The
 * bot's play is the role's, run by the simulation on the server, so any role plays
 * without this package naming one, and a bot here costs only its socket and its copy
 * of the room state: it keeps no replica of the network.
 */
import { Client, type Room } from '@colyseus/sdk';
import type { RoomState, ServerMessages } from '@roundtrip/protocol';

/** How one bot joins. */
export interface BotOptions {
  /** The server, e.g. http://localhost:2567 (ws:// works too). */
  url: string;
  /** The room's join code. */
  code: string;
  nickname: string;
  /** The seat's bot skill, e.g. novice, competent or expert (the role declares its own). */
  skill: string;
  /** A competition's team index (SPEC COMP-2); left out, the room assigns one. */
  team?: number;
  /** Gives up joining after this long. */
  joinTimeoutMs?: number;
}

/** Where a bot sits, once the state has told it. */
export interface BotSeat {
  copy: number;
  node: string;
  role: string;
}

const JOIN_TIMEOUT_MS = 15_000;

/** A headless player in a room. */
export class Bot {
  readonly nickname: string;
  readonly skill: string;
  /** Messages received, by type (the tick stream is counted, not decoded further). */
  readonly received = new Map<string, number>();
  /** Of those, the ones the SDK unpacked (all but the tick stream), by type. */
  readonly unpacked = new Map<string, number>();
  /** What the room refused, in its words. */
  readonly refusals: string[] = [];
  private left = false;
  private readonly room: Room<unknown, RoomState>;

  private constructor(room: Room<unknown, RoomState>, nickname: string, skill: string) {
    this.room = room;
    this.nickname = nickname;
    this.skill = skill;
    room.onMessage('*', (type, message) => {
      const key = String(type);
      this.received.set(key, (this.received.get(key) ?? 0) + 1);
      this.unpacked.set(key, (this.unpacked.get(key) ?? 0) + 1);
      if (key === 'error') this.refusals.push((message as ServerMessages['error']).message);
    });
    room.onLeave(() => {
      this.left = true;
    });
    dropSyncStream(room, (type) => this.received.set(type, (this.received.get(type) ?? 0) + 1));
  }

  /** Joins and hands the seat to its bot; rejects with the room's reason when the join is refused. */
  static async join(o: BotOptions): Promise<Bot> {
    const options = { nickname: o.nickname, ...(o.team === undefined ? {} : { team: o.team }) };
    const joining = new Client(o.url).joinById<RoomState>(o.code, options);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from ${o.url} within ${o.joinTimeoutMs ?? JOIN_TIMEOUT_MS} ms`)),
        o.joinTimeoutMs ?? JOIN_TIMEOUT_MS,
      );
    });
    try {
      const room = await Promise.race([joining, timeout]);
      const bot = new Bot(room, o.nickname, o.skill);
      room.send('player.autopilot', { skill: o.skill });
      return bot;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The room state as this bot has decoded it. */
  get state(): RoomState {
    return this.room.state;
  }

  /** This bot's seat, once the state has arrived. */
  get seat(): BotSeat | null {
    const me = this.room.state?.players?.get(this.room.sessionId);
    return me ? { copy: me.copy, node: me.node, role: me.role } : null;
  }

  /** Still connected. */
  get connected(): boolean {
    return !this.left;
  }

  /** The seat's bot hands the seat back (or plays at another skill). */
  setSkill(skill: string | null): void {
    this.room.send('player.autopilot', { skill });
  }

  /** Leaves the room for good (its seat goes back to the room's own bot). */
  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    await this.room.leave(true).catch(() => {});
  }
}

/**
 * The network's tick stream (`sync.*`, 10 batches a second, SPEC SYNC-3) is for a replica, which a bot
 * (or a load run's host) does not keep: its frames are handed to `counted` by type and dropped before
 * the SDK would unpack them. They still cross the wire, so the server's load is a browser's.
 */
export function dropSyncStream(room: Room, counted: (type: string) => void): void {
  const events = (
    room as unknown as { connection?: { events?: { onmessage?: (e: { data: ArrayBuffer }) => void } } }
  ).connection?.events;
  const deliver = events?.onmessage;
  if (!events || !deliver) return;
  events.onmessage = (event) => {
    const type = syncType(event.data);
    if (type === null) return deliver(event);
    counted(type);
  };
}

/** Colyseus' ROOM_DATA frame code (@colyseus/shared-types Protocol), under its modifier bits. */
const ROOM_DATA = 13;
const CODE_MASK = 31;
const SYNC_TYPES = ['sync.ticks', 'sync.snapshot'] as const;
/** Each sync type as its frame begins: a msgpack fixstr (0xa0 | length), then its ASCII. */
const SYNC_PREFIXES = SYNC_TYPES.map((t) => [0xa0 | t.length, ...[...t].map((c) => c.charCodeAt(0))]);

/** The sync message type a raw frame carries, or null for any other frame. */
export function syncType(data: ArrayBuffer): (typeof SYNC_TYPES)[number] | null {
  const buf = new Uint8Array(data);
  if (((buf[0] ?? 0) & CODE_MASK) !== ROOM_DATA || (buf[0] ?? 0) > CODE_MASK) return null;
  for (let i = 0; i < SYNC_PREFIXES.length; i++) {
    const prefix = SYNC_PREFIXES[i] as number[];
    if (prefix.every((b, j) => buf[1 + j] === b)) return SYNC_TYPES[i] ?? null;
  }
  return null;
}
