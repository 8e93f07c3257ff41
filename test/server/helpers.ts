/**
 * Shared helpers for the server integration tests: boot the real server, open
 * a class room as its host, join players, and wait for messages with a bound.
 */
import type { Room as SdkRoom } from '@colyseus/sdk';
import type { ColyseusTestServer } from '@colyseus/testing';
import { CLASS_ROOM, type CreateOptions, type RoomState, type ServerMessages } from '@roundtrip/protocol';
import type { ClassRoom } from '@roundtrip/server';
import { vi } from 'vitest';

/** Longest any single wait in these tests may take. */
export const WAIT_MS = 5_000;

type Message = { type: string; message: unknown };

/** Records every message a client receives, in order, and waits for the ones a test needs. */
export class Inbox {
  readonly all: Message[] = [];
  private listeners: (() => void)[] = [];

  constructor(room: SdkRoom) {
    room.onMessage('*', (type, message) => {
      this.all.push({ type: String(type), message });
      for (const l of this.listeners) l();
    });
  }

  /** Messages of one type received so far. */
  of<K extends keyof ServerMessages>(type: K): ServerMessages[K][] {
    return this.all.filter((m) => m.type === type).map((m) => m.message as ServerMessages[K]);
  }

  /** Position of the next message; pass it as `since` to skip what came before. */
  mark(): number {
    return this.all.length;
  }

  /** The first message of `type` at or after `since` matching `where`; rejects after `timeoutMs`. */
  waitFor<K extends keyof ServerMessages>(
    type: K,
    options: { since?: number; where?: (m: ServerMessages[K]) => boolean; timeoutMs?: number } = {},
  ): Promise<ServerMessages[K]> {
    const { since = 0, where = () => true, timeoutMs = WAIT_MS } = options;
    const find = () =>
      this.all.slice(since).find((m) => m.type === type && where(m.message as ServerMessages[K]))?.message as
        | ServerMessages[K]
        | undefined;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return false;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(found);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(
          new Error(
            `no "${type}" message within ${timeoutMs} ms; got: ${this.all.map((m) => m.type).join(', ')}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.listeners.push(listener);
    });
  }
}

/** A connected client and everything it has received. */
export interface Connected {
  room: SdkRoom<unknown, RoomState>;
  inbox: Inbox;
}

async function connected(join: Promise<SdkRoom<unknown, RoomState>>): Promise<Connected> {
  const room = await join;
  const inbox = new Inbox(room);
  await room.waitForInitialState();
  return { room, inbox };
}

/** Creates a class room; the creator is its host. Returns the host and the server-side room. */
export async function createClass(
  colyseus: ColyseusTestServer,
  options: Partial<CreateOptions> = {},
): Promise<Connected & { server: ClassRoom; code: string }> {
  const host = await connected(colyseus.sdk.create<RoomState>(CLASS_ROOM, options));
  const code = host.room.roomId;
  return { ...host, server: colyseus.getRoomById<ClassRoom>(code), code };
}

/** Joins room `code` as a player with `nickname`. */
export function joinAs(colyseus: ColyseusTestServer, code: string, nickname: string): Promise<Connected> {
  return connected(colyseus.sdk.joinById<RoomState>(code, { nickname }));
}

/** Waits (bounded) until `check` stops throwing. */
export function eventually(check: () => void, timeoutMs = WAIT_MS): Promise<void> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 20 });
}
