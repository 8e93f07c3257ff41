/**
 * Shared helpers for the server integration tests: boot the real server, open
 * a class room as its host, join players, and wait for messages with a bound.
 */
import type { Room as SdkRoom } from '@colyseus/sdk';
import type { ColyseusTestServer } from '@colyseus/testing';
import {
  CLASS_ROOM,
  type CreateOptions,
  hashOf,
  type RoomState,
  type ServerMessages,
  type SyncHash,
  type SyncTick,
  type SyncTicks,
  ticksOf,
} from '@roundtrip/protocol';
import type { ClassRoom } from '@roundtrip/server';
import { loadScenario, Simulation } from '@roundtrip/sim';
import { expect, vi } from 'vitest';

/** Longest any single wait in these tests may take. */
export const WAIT_MS = 5_000;

type Message = { type: string; message: unknown };

/**
 * What tests read: the server's messages, and each `sync.ticks` batch's ticks and hash
 * as `sync.tick` and `sync.hash` entries of their own (SPEC SYNC-3, SYNC-4), recorded
 * right after the batch.
 */
export type Received = ServerMessages & { 'sync.tick': SyncTick; 'sync.hash': SyncHash };

/** Records every message a client receives, in order, and waits for the ones a test needs. */
export class Inbox {
  readonly all: Message[] = [];
  private listeners: (() => void)[] = [];

  constructor(room: SdkRoom) {
    room.onMessage('*', (type, message) => {
      this.all.push({ type: String(type), message });
      if (type === 'sync.ticks') {
        const batch = message as SyncTicks;
        const hash = hashOf(batch);
        for (const tick of ticksOf(batch)) {
          this.all.push({ type: 'sync.tick', message: tick });
          if (hash?.tick === tick.tick) this.all.push({ type: 'sync.hash', message: hash });
        }
      }
      for (const l of this.listeners) l();
    });
  }

  /** Messages of one type received so far. */
  of<K extends keyof Received>(type: K): Received[K][] {
    return this.all.filter((m) => m.type === type).map((m) => m.message as Received[K]);
  }

  /** Position of the next message; pass it as `since` to skip what came before. */
  mark(): number {
    return this.all.length;
  }

  /** The first message of `type` at or after `since` matching `where`; rejects after `timeoutMs`. */
  waitFor<K extends keyof Received>(
    type: K,
    options: { since?: number; where?: (m: Received[K]) => boolean; timeoutMs?: number } = {},
  ): Promise<Received[K]> {
    const { since = 0, where = () => true, timeoutMs = WAIT_MS } = options;
    const find = () =>
      this.all.slice(since).find((m) => m.type === type && where(m.message as Received[K]))?.message as
        | Received[K]
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

/** What replaying one client's messages found. */
export interface ReplayReport {
  copy: number;
  hashesChecked: number;
  mismatches: string[];
  commandsApplied: number;
  /** The replica after the last message. */
  sim: Simulation;
}

/**
 * Replays what one client received, exactly as a browser would: the snapshot,
 * then each later tick's commands and advance, checking every hash on the way.
 */
export function replay(client: Connected): ReplayReport {
  const welcome = client.inbox.of('welcome')[0];
  const msgs = client.inbox.all;
  const snapAt = msgs.findIndex((m) => m.type === 'sync.snapshot');
  const snap = msgs[snapAt]?.message as ServerMessages['sync.snapshot'] | undefined;
  if (!welcome || !snap) throw new Error('no welcome or snapshot received');
  const sim = new Simulation(loadScenario(welcome.scenario, 'welcome.scenario'), snap.seed);
  sim.restore(snap.bytes);
  let tick = snap.tick;
  const report: ReplayReport = { copy: snap.copy, hashesChecked: 0, mismatches: [], commandsApplied: 0, sim };
  for (const m of msgs.slice(snapAt + 1)) {
    if (m.type === 'sync.tick') {
      const t = m.message as SyncTick;
      if (t.tick <= snap.tick) continue; // a batch still on its way when the snapshot went out: the snapshot holds it
      expect(t.tick).toBe(tick + 1);
      tick = t.tick;
      for (const cmd of t.commands) {
        expect(sim.apply(cmd)).toBeNull();
        report.commandsApplied++;
      }
      sim.advanceTo(t.simTimeUs);
    } else if (m.type === 'sync.hash') {
      const h = m.message as SyncHash;
      if (h.tick < snap.tick) continue; // its tick is held in the snapshot
      expect(h.tick).toBe(tick);
      report.hashesChecked++;
      const mine = sim.stateHash();
      if (mine !== h.hash) report.mismatches.push(`tick ${h.tick}: replica ${mine}, server ${h.hash}`);
    }
  }
  return report;
}

interface RouteSpec {
  prefix: string;
  via: string;
}

/** Plays a router seat the way its bot would: the bot's table, then hand forwarding off. */
export function automate(player: Connected, node: string): void {
  const scenario = player.inbox.of('welcome')[0]?.scenario as {
    nodes: { id: string; botRoutes?: RouteSpec[] }[];
  };
  const routes = scenario.nodes.find((n) => n.id === node)?.botRoutes ?? [];
  expect(routes.length).toBeGreaterThan(0);
  for (const r of routes) player.room.send('route.set', r);
  player.room.send('hand.mode', { enabled: false });
}
