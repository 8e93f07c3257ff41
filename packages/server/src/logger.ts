import pino from 'pino';

/**
 * The server's structured log (pino, one JSON object a line). `LOG_LEVEL` sets the
 * level (default `info`; `silent` under the tests).
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: null,
});

/** Lines one kind of message may write per LINE_WINDOW_MS; the rest are counted and summed up. */
export const LINES_PER_WINDOW_MAX = 10;
/** The window over which log lines of one kind are counted. */
export const LINE_WINDOW_MS = 60_000;
/** Kinds of line tracked at once; beyond it the oldest is forgotten (bounds memory). */
const KINDS_MAX = 1000;

/**
 * Rate limit for log lines (SPEC MSG-6): at most LINES_PER_WINDOW_MAX lines of one
 * kind per window, so a client repeating what writes a line cannot flood the log;
 * the first line of the next window says how many were left out.
 */
export class LineBudget {
  private readonly kinds = new Map<string, { windowStartMs: number; lines: number; suppressed: number }>();

  /** Whether a line of `kind` may be written at `nowMs`, and how many of its kind were left out before it. */
  allow(kind: string, nowMs: number): { write: boolean; suppressed: number } {
    let k = this.kinds.get(kind);
    if (!k || nowMs - k.windowStartMs >= LINE_WINDOW_MS) {
      const suppressed = k?.suppressed ?? 0;
      this.kinds.delete(kind);
      if (this.kinds.size >= KINDS_MAX) this.kinds.delete(this.kinds.keys().next().value as string);
      k = { windowStartMs: nowMs, lines: 0, suppressed: 0 };
      this.kinds.set(kind, k);
      k.lines++;
      return { write: true, suppressed };
    }
    if (k.lines >= LINES_PER_WINDOW_MAX) {
      k.suppressed++;
      return { write: false, suppressed: 0 };
    }
    k.lines++;
    return { write: true, suppressed: 0 };
  }
}

const budget = new LineBudget();

/**
 * Writes one warning of `kind` (a stable name, e.g. `rate-limit-kick`), unless
 * lines of that kind are over their budget.
 */
export function warnLimited(kind: string, fields: Record<string, unknown>, message: string): void {
  const { write, suppressed } = budget.allow(kind, Date.now());
  if (write) log.warn({ kind, ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, message);
}

/** The first line of what Colyseus logs: an error's message without its stack. */
function firstLine(args: unknown[]): string {
  const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return text.split('\n', 1)[0] ?? '';
}

/**
 * The logger Colyseus writes through (its `logger` option). Colyseus logs a client's
 * undecodable message with its stack trace; here every warning and error is one
 * line, rate-limited by its text, and stacks appear only at `debug` level.
 */
export const colyseusLogger = {
  debug: (...args: unknown[]) => log.debug({ source: 'colyseus' }, args.map(String).join(' ')),
  trace: (...args: unknown[]) => log.trace({ source: 'colyseus' }, args.map(String).join(' ')),
  info: (...args: unknown[]) => log.info({ source: 'colyseus' }, firstLine(args)),
  warn: (...args: unknown[]) =>
    warnLimited(`colyseus:${firstLine(args)}`, { source: 'colyseus' }, firstLine(args)),
  error: (...args: unknown[]) => {
    log.debug({ source: 'colyseus' }, args.map(String).join(' '));
    warnLimited(`colyseus:${firstLine(args)}`, { source: 'colyseus' }, firstLine(args));
  },
};
