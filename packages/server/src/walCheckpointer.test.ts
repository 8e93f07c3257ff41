import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { log } from './logger.ts';
import { DATABASE_FILE, Store } from './store.ts';

let dir: string;
let stores: Store[];
let others: DatabaseSync[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtrip-wal-'));
  stores = [];
  others = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  for (const db of others) db.close();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;
const opened = (options: ConstructorParameters<typeof Store>[1]): Store => {
  const store = new Store(dir, options);
  stores.push(store);
  return store;
};
/** Another connection to the file, as another server process (SPEC SCALE-1) would hold. */
const other = (): DatabaseSync => {
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  // A connection opens the file at its first statement.
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  others.push(db);
  return db;
};
const fileBytes = (): number => statSync(join(dir, DATABASE_FILE)).size;
const walBytes = (): number => statSync(join(dir, `${DATABASE_FILE}-wal`)).size;

/**
 * `mib` MiB of room checkpoints, 64 KiB each in its own transaction, rooms side by side so
 * the data adds up: past SQLite's own autocheckpoint (1,000 pages, about 4 MiB).
 */
function write(store: Store, mib: number): void {
  const snapshot = new Uint8Array(64 * 1024);
  for (let i = 0; i < mib * 16; i++)
    store.saveCheckpoint(`R${i}`, i, '{}', [
      { copy: 0, tick: i, snapshot: snapshot.fill(i % 251), tally: new Uint8Array(0) },
    ]);
}

describe('WAL checkpoints on a worker thread (SPEC PERSIST-5)', () => {
  it('PERSIST-5: a commit never checkpoints: 8 MiB of writes stay in the WAL', () => {
    const store = opened({ checkpointEveryMs: 3_600_000 });
    write(store, 8);
    // SQLite's default (1,000 pages) would have copied most of them into the file by now.
    expect(fileBytes()).toBeLessThan(1 * MiB);
    expect(walBytes()).toBeGreaterThan(8 * MiB);
  });

  it('PERSIST-5: the worker copies every committed page into the file within a few of its periods', async () => {
    const store = opened({ checkpointEveryMs: 50 });
    write(store, 8);
    const reader = other();
    const { page_count: pages, page_size: pageBytes } = {
      ...(reader.prepare('PRAGMA page_count').get() as { page_count: number }),
      ...(reader.prepare('PRAGMA page_size').get() as { page_size: number }),
    };
    expect(pages * pageBytes).toBeGreaterThan(8 * MiB);
    // Nothing runs on this thread while it waits: only the worker can have written the file.
    await vi.waitFor(() => expect(fileBytes()).toBe(pages * pageBytes), { timeout: 5_000, interval: 25 });
  });

  it('PERSIST-5: closing truncates the WAL, even with another process on the file', () => {
    const store = opened({ checkpointEveryMs: 3_600_000 });
    const reader = other();
    write(store, 6);
    expect(walBytes()).toBeGreaterThan(1 * MiB);
    store.close();
    expect(walBytes()).toBe(0);
    expect(reader.prepare('SELECT count(*) AS n FROM live_rooms').get()).toEqual({ n: 96 });
  });

  it('PERSIST-5: a worker that dies is logged, and commits checkpoint on their own again', async () => {
    const logged = vi.spyOn(log, 'error');
    const store = opened({
      checkpointWorker: new URL('data:text/javascript,throw new Error("the checkpointer broke")'),
    });
    await vi.waitFor(() => expect(logged).toHaveBeenCalled(), { timeout: 5_000 });
    expect(String(logged.mock.calls[0]?.[1])).toMatch(/WAL checkpointer stopped/);
    write(store, 8);
    // Nothing but the main connection's own autocheckpoint can have written the file.
    expect(fileBytes()).toBeGreaterThan(3 * MiB);
  });

  it('PERSIST-5: the worker does not keep the process alive', () => {
    // A process that opens a store and never closes it, run as node runs the server (types
    // stripped); a worker that died would be logged, and log lines go to stdout.
    const storeFile = fileURLToPath(new URL('./store.ts', import.meta.url));
    const script = join(dir, 'leave.mjs');
    writeFileSync(
      script,
      `import { Store } from ${JSON.stringify(storeFile)};
       new Store(${JSON.stringify(dir)}).saveCheckpoint('A', 1, '{}', []);
       setTimeout(() => console.log('left'), 300);`,
    );
    const run = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    expect(run.error).toBeUndefined();
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'left' });
  });
});
