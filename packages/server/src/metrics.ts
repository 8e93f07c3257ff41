/**
 * The server's figures for an operator, in Prometheus' text format (prom-client),
 * at `GET /metrics` (SPEC OPS-1): rooms by phase, players, tick durations, bytes
 * sent, messages refused and kicks, for this process. Hot paths add to plain
 * numbers; prom-client reads them when scraped.
 */
import type { IncomingMessage } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { hostTokenMatches } from './hostToken.ts';

/** What a live room tells the metrics. */
export interface MeteredRoom {
  readonly phase: string;
  readonly playerCount: number;
}

const liveRooms = new Set<MeteredRoom>();
let bytesSent = 0;
let bytesCounted = 0;

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'roundtrip_' });

new Gauge({
  name: 'roundtrip_rooms',
  help: 'Class rooms open in this process, by phase.',
  labelNames: ['phase'],
  registers: [registry],
  collect() {
    this.reset();
    for (const phase of ['lobby', 'running', 'paused', 'ended']) this.set({ phase }, 0);
    for (const room of liveRooms) this.inc({ phase: room.phase });
  },
});

new Gauge({
  name: 'roundtrip_players',
  help: 'Players seated in this process’s rooms (connected or holding their seat).',
  registers: [registry],
  collect() {
    let players = 0;
    for (const room of liveRooms) players += room.playerCount;
    this.set(players);
  },
});

const tickSeconds = new Histogram({
  name: 'roundtrip_tick_duration_seconds',
  help: 'Time one room’s fixed tick took (simulation steps, saving, and the sends it made).',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1],
  registers: [registry],
});

new Counter({
  name: 'roundtrip_ws_sent_bytes_total',
  help: 'Bytes written to WebSocket clients (frame payloads).',
  registers: [registry],
  collect() {
    this.inc(bytesSent - bytesCounted);
    bytesCounted = bytesSent;
  },
});

const tickLatenessSeconds = new Histogram({
  name: 'roundtrip_tick_lateness_seconds',
  help: 'How long after it was due each room tick started (SPEC SYNC-9).',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
  registers: [registry],
});

const ticksDropped = new Counter({
  name: 'roundtrip_ticks_dropped_total',
  help: 'Room ticks skipped because their room had fallen too far behind its schedule.',
  registers: [registry],
});

const refused = new Counter({
  name: 'roundtrip_messages_refused_total',
  help: 'Client messages refused, by error code (rate-limited: dropped over the budget).',
  labelNames: ['code'],
  registers: [registry],
});

const kicks = new Counter({
  name: 'roundtrip_kicks_total',
  help: 'Connections the server disconnected for good, by why.',
  labelNames: ['reason'],
  registers: [registry],
});

/** The figures the rooms and the transport report. */
export const serverMetrics = {
  roomOpened(room: MeteredRoom): void {
    liveRooms.add(room);
  },
  roomClosed(room: MeteredRoom): void {
    liveRooms.delete(room);
  },
  tickTook(ms: number): void {
    tickSeconds.observe(ms / 1000);
  },
  /** The tick scheduler's reports (SPEC SYNC-9). */
  tickSchedule: {
    ran(latenessMs: number): void {
      tickLatenessSeconds.observe(latenessMs / 1000);
    },
    dropped(ticks: number): void {
      ticksDropped.inc(ticks);
    },
  },
  refused(code: string): void {
    refused.inc({ code });
  },
  kicked(reason: string): void {
    kicks.inc({ reason });
  },
};

/** A socket as ws gives it. */
interface Sending {
  send(data: unknown, ...rest: unknown[]): void;
}

/** Counts the bytes `socket` sends (wrapped at connection, like its close reasons). */
export function countSentBytes(socket: Sending): void {
  const send = socket.send.bind(socket);
  socket.send = (data: unknown, ...rest: unknown[]) => {
    if (typeof data === 'string') bytesSent += Buffer.byteLength(data);
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytesSent += data.byteLength;
    send(data, ...rest);
  };
}

/**
 * Who may read /metrics (HOSTING.md): with METRICS_TOKEN set, whoever sends it as
 * `Authorization: Bearer <token>`; without, requests from this machine only
 * (loopback, not forwarded by a trusted proxy), unless METRICS=open; METRICS=off turns the route off.
 */
export function metricsAccess(req: IncomingMessage, env = process.env): 'ok' | 'forbidden' | 'off' {
  if (env.METRICS === 'off') return 'off';
  const token = env.METRICS_TOKEN;
  if (token) {
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return presented !== undefined && hostTokenMatches(presented, token) ? 'ok' : 'forbidden';
  }
  if (env.METRICS === 'open') return 'ok';
  // Through a proxy on this machine every request looks local: those need the token.
  if (env.TRUST_PROXY === '1' && req.headers['x-forwarded-for'] !== undefined) return 'forbidden';
  const peer = req.socket.remoteAddress ?? '';
  return peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1' ? 'ok' : 'forbidden';
}
