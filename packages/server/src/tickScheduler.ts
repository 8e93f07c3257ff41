/**
 * One timer for every room's fixed tick in this process (SPEC SYNC-9).
 *
 * Each room used to tick from an interval timer of its own (Colyseus's fixed timestep).
 * Node re-arms an interval from when it last fired, so after any hold-up (a garbage
 * collection, a burst of joins) the timers that were due fire back to back and stay
 * bunched from then on, a convoy that every later hold-up packs tighter: at 90 % of a
 * core, 100 rooms' ticks started up to 450 ms late (docs/PERFORMANCE.md "Issue 16, fifth
 * round"). Here a room's tick k is due at its origin + k periods whatever happened before,
 * the rooms' origins are spread over the period (SLOTS offsets, the emptiest first), and
 * the most overdue tick always runs next.
 */
import { log } from './logger.ts';

/** The rooms' origins are spread over this many offsets within a period. */
export const SLOTS = 10;
/** A room this many ticks behind drops its backlog and carries on from its next due tick. */
export const MAX_BEHIND_TICKS = 5;
/** One pass runs ticks for at most this long before letting the sockets' I/O in. */
export const SLICE_MS = 10;

/** A scheduled room's handle. */
export interface Ticking {
  /** No more ticks (the room closed). */
  stop(): void;
}

/** What the scheduler reports, for metrics. */
export interface TickObserver {
  /** A tick started `latenessMs` after it was due. */
  ran(latenessMs: number): void;
  /** A room fell MAX_BEHIND_TICKS behind and `ticks` of its ticks were skipped. */
  dropped(ticks: number): void;
}

/** The clock and timers the scheduler runs on (node's by default; tests bring their own). */
export interface TimerHost {
  nowMs(): number;
  /** Calls `fn` after `ms` (0: after pending I/O); returns something `cancel` takes. */
  after(ms: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

/** Node's timer or immediate, tagged: each must be cleared by its own function. */
type NodeHandle = { timeout: NodeJS.Timeout } | { immediate: NodeJS.Immediate };

const nodeTimers: TimerHost = {
  nowMs: () => performance.now(),
  after: (ms, fn): NodeHandle =>
    ms <= 0 ? { immediate: setImmediate(fn) } : { timeout: setTimeout(fn, ms) },
  cancel: (handle) => {
    const h = handle as NodeHandle;
    if ('timeout' in h) clearTimeout(h.timeout);
    else clearImmediate(h.immediate);
  },
};

interface Entry {
  run: () => void;
  slot: number;
  dueMs: number;
  stopped: boolean;
}

export class TickScheduler {
  private readonly periodMs: number;
  private readonly timers: TimerHost;
  private readonly observer: TickObserver | undefined;
  private readonly epochMs: number;
  private entries: Entry[] = [];
  private readonly perSlot = new Array<number>(SLOTS).fill(0);
  private timer: unknown = null;
  /** When the armed timer is due (NaN: none armed). */
  private armedForMs = Number.NaN;
  private passing = false;

  constructor(periodMs: number, options: { timers?: TimerHost; observer?: TickObserver } = {}) {
    this.periodMs = periodMs;
    this.timers = options.timers ?? nodeTimers;
    this.observer = options.observer;
    this.epochMs = this.timers.nowMs();
  }

  /** Ticks `run` every period from the emptiest slot's next due time on. */
  add(run: () => void): Ticking {
    const slot = this.emptiestSlot();
    const nowMs = this.timers.nowMs();
    const offsetMs = (slot * this.periodMs) / SLOTS;
    const periods = Math.ceil((nowMs - this.epochMs - offsetMs) / this.periodMs);
    const entry: Entry = {
      run,
      slot,
      dueMs: this.epochMs + offsetMs + periods * this.periodMs,
      stopped: false,
    };
    this.entries.push(entry);
    this.perSlot[slot] = (this.perSlot[slot] ?? 0) + 1;
    this.arm(nowMs);
    return { stop: () => this.remove(entry) };
  }

  /** How many rooms tick here. */
  get size(): number {
    return this.entries.length;
  }

  private emptiestSlot(): number {
    let best = 0;
    for (let s = 1; s < SLOTS; s++) if ((this.perSlot[s] ?? 0) < (this.perSlot[best] ?? 0)) best = s;
    return best;
  }

  private remove(entry: Entry): void {
    if (entry.stopped) return;
    entry.stopped = true;
    this.entries = this.entries.filter((e) => e !== entry);
    this.perSlot[entry.slot] = (this.perSlot[entry.slot] ?? 1) - 1;
    if (this.entries.length === 0) this.disarm();
  }

  /** The entry whose tick is due first. */
  private earliest(): Entry | undefined {
    let first: Entry | undefined;
    for (const e of this.entries) if (!first || e.dueMs < first.dueMs) first = e;
    return first;
  }

  /** Runs the due ticks, most overdue first, for up to SLICE_MS; then waits for the next. */
  private pass(): void {
    this.timer = null;
    this.armedForMs = Number.NaN;
    this.passing = true;
    const startMs = this.timers.nowMs();
    let nowMs = startMs;
    try {
      for (;;) {
        const entry = this.earliest();
        if (!entry || entry.dueMs > nowMs) break;
        if (nowMs - startMs >= SLICE_MS) {
          // Still behind: incoming messages and acknowledgements get their turn, then the rest.
          this.timer = this.timers.after(0, () => this.pass());
          this.armedForMs = nowMs;
          return;
        }
        const behind = Math.floor((nowMs - entry.dueMs) / this.periodMs);
        if (behind >= MAX_BEHIND_TICKS) {
          entry.dueMs += (behind + 1) * this.periodMs;
          this.observer?.dropped(behind + 1);
          continue;
        }
        this.observer?.ran(nowMs - entry.dueMs);
        entry.dueMs += this.periodMs;
        try {
          entry.run();
        } catch (e) {
          // A room catches its own errors (SPEC ROOM-9); this keeps any that escape from stopping the others.
          log.error({ err: e }, 'a scheduled tick threw');
        }
        nowMs = this.timers.nowMs();
      }
    } finally {
      this.passing = false;
    }
    this.arm(nowMs);
  }

  /** Sets the timer for the earliest due tick, unless one is set for it already (or a pass is running). */
  private arm(nowMs: number): void {
    if (this.passing) return;
    const entry = this.earliest();
    if (!entry) return this.disarm();
    if (this.timer !== null && this.armedForMs <= entry.dueMs) return;
    this.disarm();
    this.armedForMs = entry.dueMs;
    this.timer = this.timers.after(Math.ceil(entry.dueMs - nowMs), () => this.pass());
  }

  private disarm(): void {
    if (this.timer !== null) this.timers.cancel(this.timer);
    this.timer = null;
    this.armedForMs = Number.NaN;
  }
}
