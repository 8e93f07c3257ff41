import { randomBytes } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import { CLASS_ROOM } from '@roundtrip/protocol';
import { log } from './logger.ts';
import type { LiveRoom, Store } from './store.ts';

/**
 * Rooms being restored, by a one-time key passed as the only create option. The key
 * is random and lives only while `restoreRooms` waits for its room, before the server
 * listens, so no client can present one (and createOptions refuses the field).
 */
const pending = new Map<string, LiveRoom>();

/** The saved room a create call is restoring, if `options` carry a key `restoreRooms` issued. */
export function takeRestore(options: unknown): LiveRoom | null {
  if (typeof options !== 'object' || options === null || !('restore' in options)) return null;
  const key = options.restore;
  if (typeof key !== 'string') return null;
  const live = pending.get(key) ?? null;
  pending.delete(key);
  return live;
}

/**
 * Re-creates every room the store holds as live, under its join code (SPEC PERSIST-4).
 * Called once at start, before the server listens. A room that cannot be restored (its
 * lesson was removed, its checkpoint does not load) is logged and its checkpoint dropped.
 */
export async function restoreRooms(store: Store): Promise<string[]> {
  const restored: string[] = [];
  for (const live of store.liveRooms()) {
    const key = randomBytes(18).toString('base64url');
    pending.set(key, live);
    try {
      await matchMaker.createRoom(CLASS_ROOM, { restore: key });
      restored.push(live.code);
    } catch (e) {
      log.error({ room: live.code, err: e }, 'could not restore a room saved before a restart; dropping it');
      store.deleteLive(live.code);
    } finally {
      pending.delete(key);
    }
  }
  return restored;
}
