/**
 * Silent connections (SPEC SYNC-8), against the real server: a client that never answers
 * pings is closed after PING_MISSES_MAX of them and its seat waits for a reconnection
 * (ROOM-7); a client that answers stays. The silent client is a raw WebSocket over
 * node:http (a browser or the SDK always answers pings), doing only what it must to join.
 */
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { Protocol } from '@colyseus/core';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { addressLimits, appConfig, PING_INTERVAL_MS, PING_MISSES_MAX } from '@roundtrip/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClass, eventually, joinAs } from './helpers.ts';

const PORT = 2631;
let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, PORT);
});
afterAll(async () => {
  await colyseus.shutdown();
});

/** WebSocket opcodes (RFC 6455 §5.2). */
const OPCODE_PING = 0x9;

/** Reserves a seat over HTTP as the SDK would. */
async function reserve(
  code: string,
  nickname: string,
): Promise<{ roomId: string; sessionId: string; processId: string }> {
  const res = await fetch(`http://localhost:${PORT}/matchmake/joinById/${code}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { roomId: string; sessionId: string; processId: string };
}

/** Opens the seat's WebSocket by hand; it never answers a ping. */
function silentSocket(seat: { roomId: string; sessionId: string; processId: string }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: 'localhost',
      port: PORT,
      path: `/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (_res, socket) => resolve(socket));
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

/** A client's binary frame: masked, as RFC 6455 requires of clients (a zero mask leaves the bytes as they are). */
function clientFrame(payload: number[]): Buffer {
  return Buffer.from([0x82, 0x80 | payload.length, 0, 0, 0, 0, ...payload]);
}

/** The opcodes of the server's frames in `bytes` (unmasked; small frames only need their lengths followed). */
function opcodes(bytes: Buffer): number[] {
  const out: number[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    out.push((bytes[at] as number) & 0x0f);
    const len = (bytes[at + 1] as number) & 0x7f;
    const ext = len === 126 ? 2 : len === 127 ? 8 : 0;
    const size =
      len === 126 ? bytes.readUInt16BE(at + 2) : len === 127 ? Number(bytes.readBigUInt64BE(at + 2)) : len;
    at += 2 + ext + size;
  }
  return out;
}

describe('silent connections (SPEC SYNC-8)', () => {
  it('SYNC-8: a client that never answers pings is closed after two, and its seat waits; one that answers stays', async () => {
    addressLimits.reset();
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    const seat = await reserve(host.code, 'Sid');
    const socket = await silentSocket(seat);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    const closedAtMs = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    // The join's acknowledgement, as the SDK sends it: then the player is in.
    socket.write(clientFrame([Protocol.JOIN_ROOM]));
    await eventually(() =>
      expect([...host.server.state.players.values()].map((p) => [p.nickname, p.connected])).toContainEqual([
        'Sid',
        true,
      ]),
    );
    const joinedMs = performance.now();
    const closed = await closedAtMs;
    // Closed by the heartbeat: after at least PING_MISSES_MAX unanswered pings, within one more interval.
    expect(opcodes(received).filter((o) => o === OPCODE_PING).length).toBeGreaterThanOrEqual(PING_MISSES_MAX);
    expect(closed - joinedMs).toBeLessThan((PING_MISSES_MAX + 1) * PING_INTERVAL_MS + 1_000);
    // Dropped, not kicked: the seat waits for a reconnection (ROOM-7) ...
    await eventually(() =>
      expect([...host.server.state.players.values()].find((p) => p.nickname === 'Sid')?.connected).toBe(
        false,
      ),
    );
    // ... and Ann, whose client answers every ping, is still connected.
    expect(host.server.state.players.get(ann.room.sessionId)?.connected).toBe(true);
    expect(ann.room.connection.isOpen).toBe(true);
  }, 20_000);
});
