/**
 * The WAL checkpointer's thread (walCheckpointer.ts starts it): its own connection to the
 * database file copies the WAL's committed pages into it every `everyMs`, off the room's
 * tick (SPEC PERSIST-5). Imports node built-ins only (and the shared constants), so node
 * loads it as it is (`.ts`, types stripped) under `pnpm start`, vitest and the benches.
 */
import { DatabaseSync } from 'node:sqlite';
import { workerData } from 'node:worker_threads';
import { type CheckpointerData, CLOSED, RUNNING, STATE } from './walCheckpointControl.ts';

const { path, everyMs, busyTimeoutMs, control } = workerData as CheckpointerData;
let db: DatabaseSync | undefined;
try {
  db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}; PRAGMA synchronous = NORMAL;`);
  // PASSIVE copies what no reader still needs and never waits on, or blocks, the writer.
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  // Sleeps on the shared state rather than a timer, so the main thread can stop this loop
  // and know, synchronously, when the connection is closed (Store.close is synchronous).
  // An error ends the thread: the main thread logs it and checkpoints on its own again.
  while (Atomics.wait(control, STATE, RUNNING, everyMs) === 'timed-out') checkpoint.get();
} finally {
  db?.close();
  Atomics.store(control, CLOSED, 1);
  Atomics.notify(control, CLOSED);
}
