/**
 * The victim class of `pnpm attack` (forked by attack.ts, never run by hand): a host and
 * `players` players in a room of their own, the round started; counts the ticks its first
 * player receives and answers the parent's questions. In a process of its own so that the
 * attackers' floods, sent from the parent, cannot delay what the victim receives and pass
 * for a stall of the server (they did, sharing one event loop).
 */
import { Client, type Room } from '@colyseus/sdk';
import { CLASS_ROOM, type ServerMessages } from '@roundtrip/protocol';

/** Parent → victim. */
export type ToVictim = { kind: 'open'; url: string; players: number } | { kind: 'ticks' } | { kind: 'leave' };
/** Victim → parent. */
export type FromVictim =
  | { kind: 'ready'; roomId: string }
  | { kind: 'ticks'; ticks: number }
  | { kind: 'failed'; message: string };

const send = (m: FromVictim) => process.send?.(m);
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).includes('onMessage() not registered')) warn(...args);
};
process.on('disconnect', () => process.exit(0));

let rooms: Room[] = [];
let ticks = 0;

process.on('message', (m: ToVictim) => {
  if (m.kind === 'ticks') send({ kind: 'ticks', ticks });
  else if (m.kind === 'leave') void Promise.all(rooms.map((r) => r.leave())).finally(() => process.exit(0));
  else
    open(m.url, m.players).catch((e: unknown) =>
      send({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
});

async function open(url: string, players: number): Promise<void> {
  const sdk = new Client(url);
  const host = await sdk.create(CLASS_ROOM, {});
  host.onMessage('*', () => {});
  rooms = [host];
  for (let i = 0; i < players; i++) {
    const p = await sdk.joinById(host.roomId, { nickname: `v${i}` });
    p.onMessage('*', () => {});
    rooms.push(p);
  }
  rooms[1]?.onMessage('sync.ticks', (b: ServerMessages['sync.ticks']) => {
    ticks += b.simTimeUs.length;
  });
  host.send('host.start', {});
  await new Promise((r) => setTimeout(r, 1000));
  send({ kind: 'ready', roomId: host.roomId });
}
