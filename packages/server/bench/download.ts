/**
 * `pnpm bench:net [--json] [--seconds N]`: bytes per second each client downloads
 * during a lesson-2 round, at two speeds. At 1× the simulation moves ten times
 * as many packets per wall-clock second as at 1/10×; with replicated visuals the
 * download must stay flat (ARCHITECTURE "Sync", budget ≤ 4 KB/s per client).
 * Boots the real server in-process on a free port; counts every WebSocket frame
 * the players receive. A benchmark, not a test: figures go in docs/PERFORMANCE.md.
 */
import { parseArgs } from 'node:util';
import { CLASS_ROOM } from '@roundtrip/protocol';
import { sleep, startRealServer } from './realServer.ts';

const received = new Map<WebSocket, number>();

/** Counts the bytes of every frame a WebSocket receives. */
class CountingWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    received.set(this, 0);
    this.addEventListener('message', (ev: MessageEvent) => {
      const data = ev.data as ArrayBuffer | Blob | string;
      const bytes =
        typeof data === 'string'
          ? Buffer.byteLength(data)
          : data instanceof ArrayBuffer
            ? data.byteLength
            : data.size;
      received.set(this, (received.get(this) ?? 0) + bytes);
    });
  }
}
globalThis.WebSocket = CountingWebSocket as typeof WebSocket;
// Imported after the swap: the SDK picks up globalThis.WebSocket when it loads.
const { Client } = await import('@colyseus/sdk');

async function measure(url: string, timeScale: number, seconds: number): Promise<number> {
  const sdk = new Client(url);
  const host = await sdk.create(CLASS_ROOM, {
    scenario: 'lesson-2-mail',
    durationS: 3_600,
    timeScale,
    seed: 7,
  });
  host.onMessage('*', () => {});
  const players = [];
  for (const nickname of ['ada', 'bob', 'cy', 'dee']) {
    const p = await sdk.joinById(host.roomId, { nickname });
    p.onMessage('*', () => {});
    players.push(p);
  }
  host.send('host.start', {});
  await sleep(2_000); // past the start snapshot
  const sockets = [...received.keys()].slice(-players.length);
  const before = sockets.map((s) => received.get(s) ?? 0);
  await sleep(seconds * 1000);
  const perClient = sockets.map((s, i) => ((received.get(s) ?? 0) - (before[i] ?? 0)) / seconds);
  for (const p of players) await p.leave();
  await host.leave();
  return perClient.reduce((a, b) => a + b, 0) / perClient.length;
}

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '10' } },
});
const seconds = Number(values.seconds);
const server = await startRealServer();
const slow = await measure(server.url, 0.1, seconds);
const fast = await measure(server.url, 1, seconds);
await server.stop();
const report = {
  downloadBytesPerSecondPerClient: { timeScale0_1: Math.round(slow), timeScale1: Math.round(fast) },
  ratioFastToSlow: Math.round((fast / slow) * 100) / 100,
};
if (values.json) console.log(JSON.stringify(report));
else
  console.log(
    `download per client, lesson 2, 4 players: ${report.downloadBytesPerSecondPerClient.timeScale0_1} B/s at 1/10×, ` +
      `${report.downloadBytesPerSecondPerClient.timeScale1} B/s at 1× (10× the packets per second): ratio ${report.ratioFastToSlow}`,
  );
process.exit(0);
