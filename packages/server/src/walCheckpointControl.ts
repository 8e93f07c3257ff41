/**
 * What the main thread and the WAL checkpointer's thread share: the worker's data, and a
 * two-slot Int32Array on a SharedArrayBuffer through which the main thread stops the
 * worker and waits, synchronously, for its connection to close.
 */

/** Slot the main thread writes: RUNNING, or STOPPING to end the worker's loop. */
export const STATE = 0;
/** Slot the worker writes: 1 once its connection is closed (or never opened). */
export const CLOSED = 1;
export const RUNNING = 0;
export const STOPPING = 1;

/** The worker's `workerData`. */
export interface CheckpointerData {
  /** The database file. */
  path: string;
  /** Time between two checkpoints. */
  everyMs: number;
  busyTimeoutMs: number;
  /** Int32Array(2) on a SharedArrayBuffer: slots STATE and CLOSED. */
  control: Int32Array;
}
