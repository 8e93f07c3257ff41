/**
 * The hosts of `pnpm bench:load`: each opens a class room that lets players hand their
 * seats to bots, starts its round, and — when a round ends during the run — opens the
 * next one in the same room and starts it (`host.next`, then `host.start`, SPEC HOST-8),
 * the way a teacher plays one lesson after another, so the load stays up. The hosts
 * keep no replica: their tick stream is counted and dropped like a bot's.
 */
import { Client, type Room } from '@colyseus/sdk';
import { dropSyncStream } from '@roundtrip/bots';
import { CLASS_ROOM, type RoomState, type ServerMessages } from '@roundtrip/protocol';

export interface Hosts {
  /** The rooms' join codes. */
  codes: string[];
  /** Rounds started again after one ended. */
  restarts(): number;
  /** What went wrong for the hosts: refused messages, lost connections, room errors. */
  errors(): string[];
  /** Every host leaves (its room closes once its players have gone); within 5 s. */
  leave(): Promise<void>;
}

/** How often the hosts look for a round that has ended. */
const WATCH_MS = 1_000;
/** Longest the hosts wait for their leaves to be confirmed. */
const LEAVE_WAIT_MS = 5_000;

/**
 * Opens `rooms` rooms of `lesson`, one after another, each with its round started; rounds
 * last `roundS` simulated seconds when given (else the lesson's own length).
 */
export async function openRooms(url: string, rooms: number, lesson: string, roundS?: number): Promise<Hosts> {
  const length = roundS === undefined ? {} : { durationS: roundS };
  const sdk = new Client(url);
  const hosts: Room<unknown, RoomState>[] = [];
  const errors: string[] = [];
  let restarts = 0;
  let leaving = false;
  /** Per host, the round it last started again (so one ended round is restarted once). */
  const restarted = new Map<Room, number>();
  for (let i = 0; i < rooms; i++) {
    const host = await sdk.create<RoomState>(CLASS_ROOM, {
      scenario: lesson,
      seed: i + 1,
      botPlayers: true,
      ...length,
    });
    dropSyncStream(host, () => {});
    host.onMessage('*', (type, message) => {
      if (type === 'error')
        errors.push(`host ${host.roomId}: ${(message as ServerMessages['error']).message}`);
    });
    host.onError((code, message) => errors.push(`host ${host.roomId}: error ${code} ${message ?? ''}`));
    host.onLeave((code) => {
      if (!leaving) errors.push(`host ${host.roomId}: connection lost (${code})`);
    });
    host.send('host.start', {});
    hosts.push(host);
  }
  const watch = setInterval(() => {
    for (const host of hosts) {
      const round = host.state?.round;
      if (host.state?.phase !== 'ended' || restarted.get(host) === round) continue;
      restarted.set(host, round);
      // Both in one go: messages arrive in order, and host.next leaves the room in its lobby.
      host.send('host.next', { scenario: lesson, ...length });
      host.send('host.start', {});
      restarts++;
    }
  }, WATCH_MS);
  return {
    codes: hosts.map((h) => h.roomId),
    restarts: () => restarts,
    errors: () => errors,
    leave: async () => {
      leaving = true;
      clearInterval(watch);
      // Bounded: a server that has gone never confirms a leave.
      const left = Promise.all(hosts.map((h) => h.leave(true).catch(() => {})));
      await Promise.race([left, new Promise((r) => setTimeout(r, LEAVE_WAIT_MS))]);
    },
  };
}
