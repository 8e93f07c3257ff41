/**
 * GET /metrics (SPEC OPS-1): Prometheus text with rooms, players, tick durations,
 * bytes sent, refused messages and kicks; served to this machine or with a token.
 */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { addressLimits, appConfig } from '@roundtrip/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../serverProcess.ts';
import { createClass, eventually, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
let port = 0;
beforeAll(async () => {
  port = await freePort();
  colyseus = await boot(appConfig, port);
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
  addressLimits.reset();
});

async function scrape(headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
  return { status: res.status, text: await res.text() };
}

/** The value of the sample `name{labels}` in Prometheus text, or NaN. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

describe('GET /metrics (SPEC OPS-1)', () => {
  it('OPS-1: rooms, players, tick durations, bytes sent, refused messages and kicks', async () => {
    const before = await scrape();
    expect(before.status).toBe(200);
    const refusedBefore = sample(before.text, 'roundtrip_messages_refused_total{code="wrong-phase"}') || 0;
    const kicksBefore = sample(before.text, 'roundtrip_kicks_total{reason="rate-limit"}') || 0;
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    const bob = await joinAs(colyseus, host.code, 'Bob');
    ann.room.send('host.pause', {}); // forbidden: not the host
    ann.room.send('route.set', { prefix: '10.3.0.0/16', via: 'r-north' }); // wrong phase: the lobby
    await ann.inbox.waitFor('error', { where: (e) => e.code === 'wrong-phase' });
    host.room.send('host.start', {});
    await ann.inbox.waitFor('sync.tick');
    // Undecodable frames until the connection is kicked (SPEC MSG-3).
    const frame = new Uint8Array([21, 1, 0xa1, 0x61, 0xd9, 0xff]);
    for (let i = 0; i < 100; i++)
      (bob.room.connection as unknown as { send(b: Uint8Array): void }).send(frame);
    await eventually(() => expect(host.server.state.players.size).toBe(1));
    const { status, text } = await scrape();
    expect(status).toBe(200);
    expect(text).toMatch(/^# TYPE roundtrip_tick_duration_seconds histogram$/m);
    expect(sample(text, 'roundtrip_rooms{phase="running"}')).toBe(1);
    expect(sample(text, 'roundtrip_players')).toBe(1);
    expect(sample(text, 'roundtrip_tick_duration_seconds_count')).toBeGreaterThan(0);
    // Every tick the scheduler ran says how late it started (SYNC-9); none of this room's was dropped.
    expect(sample(text, 'roundtrip_tick_lateness_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'roundtrip_ticks_dropped_total')).toBe(0);
    expect(sample(text, 'roundtrip_ws_sent_bytes_total')).toBeGreaterThan(1000);
    expect(sample(text, 'roundtrip_messages_refused_total{code="forbidden"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'roundtrip_messages_refused_total{code="wrong-phase"}')).toBe(refusedBefore + 1);
    expect(sample(text, 'roundtrip_messages_refused_total{code="rate-limited"}')).toBeGreaterThan(40);
    expect(sample(text, 'roundtrip_kicks_total{reason="rate-limit"}')).toBe(kicksBefore + 1);
    expect(sample(text, 'roundtrip_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('OPS-1: with METRICS_TOKEN set, only a bearer of the token reads them; METRICS=off turns them off', async () => {
    process.env.METRICS_TOKEN = 'the-operators-secret';
    try {
      expect((await scrape()).status).toBe(403);
      expect((await scrape({ authorization: 'Bearer wrong' })).status).toBe(403);
      expect((await scrape({ authorization: 'Bearer the-operators-secret' })).status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
    }
    process.env.METRICS = 'off';
    try {
      expect((await scrape()).status).toBe(404);
    } finally {
      delete process.env.METRICS;
    }
  });
});
