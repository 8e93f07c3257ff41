import { Worker } from 'node:worker_threads';
import { log } from './logger.ts';
import { type CheckpointerData, CLOSED, STATE, STOPPING } from './walCheckpointControl.ts';

/**
 * Time between two checkpoints. On a timer rather than on the WAL's growth: the tick then
 * does nothing for it (no size check, no message per commit), and a room writes steadily
 * (docs/PERFORMANCE.md "Saving a room"), so the WAL stays about a second of writes long.
 */
export const WAL_CHECKPOINT_EVERY_MS = 1_000;
/** How long closing waits for the worker to finish a checkpoint under way and close. */
export const WORKER_STOP_WAIT_MS = 5_000;
/** The worker's script: node runs the `.ts` file as it is (types stripped), as it runs main.ts. */
export const WAL_WORKER_ENTRY = new URL('./walCheckpointWorker.ts', import.meta.url);

export interface WalCheckpointerOptions {
  everyMs?: number;
  busyTimeoutMs?: number;
  /** The worker's script (tests give one that fails). */
  entry?: URL;
  /** The worker stopped without being asked (an error, or it never started); called once. */
  onDied: () => void;
}

/**
 * Checkpoints a WAL database from a worker thread (SPEC PERSIST-5), so the commits on the
 * room's tick never copy pages into the database file and fsync it. The thread does not
 * keep the process alive; if it dies the error is logged and `onDied` lets the owner
 * checkpoint on its own commits again, so the WAL cannot grow without bound.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private readonly onDied: () => void;
  private ended = false;

  constructor(path: string, options: WalCheckpointerOptions) {
    this.onDied = options.onDied;
    const workerData: CheckpointerData = {
      path,
      everyMs: options.everyMs ?? WAL_CHECKPOINT_EVERY_MS,
      busyTimeoutMs: options.busyTimeoutMs ?? 2_000,
      control: this.control,
    };
    this.worker = new Worker(options.entry ?? WAL_WORKER_ENTRY, { workerData, name: 'wal-checkpointer' });
    this.worker.unref();
    this.worker.on('error', (err) => this.died(err));
    this.worker.on('exit', (code) => this.died(new Error(`the WAL checkpointer exited (code ${code})`)));
  }

  /** Whether the worker is still checkpointing (not stopped, not dead). */
  get running(): boolean {
    return !this.ended;
  }

  /**
   * Stops the worker and waits (at most WORKER_STOP_WAIT_MS) for it to close its
   * connection, so the caller's next statement has the file to itself.
   */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    Atomics.store(this.control, STATE, STOPPING);
    Atomics.notify(this.control, STATE);
    if (Atomics.wait(this.control, CLOSED, 0, WORKER_STOP_WAIT_MS) === 'timed-out') {
      log.warn({ waitedMs: WORKER_STOP_WAIT_MS }, 'the WAL checkpointer did not stop in time; ending it');
      void this.worker.terminate();
    }
  }

  private died(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    log.error({ err }, 'the WAL checkpointer stopped; the database checkpoints on its own commits again');
    this.onDied();
  }
}
