/**
 * Many bots at once (SPEC BOTS-3): they join a room a few at a time, play for a bounded
 * time (or until the round ends), then leave; the report says who got in, what was
 * refused and what came back.
 */
import { Bot } from './bot.ts';

export interface SwarmOptions {
  url: string;
  code: string;
  count: number;
  skill: string;
  /** Every bot asks for this team (SPEC COMP-2); left out, the room assigns them. */
  team?: number;
  /** Nicknames are this prefix and a number. */
  prefix?: string;
  /** The swarm leaves after this long, whatever happens. */
  durationS: number;
  /** Leave as soon as the round has ended (the room's phase), before durationS. */
  untilEnd?: boolean;
  /** Joins in flight at once. */
  concurrency?: number;
  /** Progress lines (the CLI prints them). */
  onProgress?: (line: string) => void;
  /** Called once the joins are over (every bot in or refused, or the deadline or abort came first). */
  onJoined?: (joined: number) => void;
}

export interface SwarmReport {
  joined: number;
  /** Refused joins: the room's reason and how many got it. */
  refused: Record<string, number>;
  /** Refused messages (of joined bots), by reason. */
  refusals: Record<string, number>;
  /** Messages the bots received, by type, summed. */
  received: Record<string, number>;
  /** Bots still connected at the end (a kick or a closed room lowers it). */
  connectedAtEnd: number;
  /** The room's phase as the first bot saw it last. */
  phase: string;
  elapsedMs: number;
}

/** Most bots one swarm may hold: a bound, so a typo cannot open a million sockets. */
export const SWARM_MAX = 5_000;
/** Longest a swarm may stay, seconds. */
export const SWARM_MAX_S = 3_600;
const NICKNAME_PREFIX_MAX = 14;

/** Checks a swarm's bounds; returns why not, or null. */
export function swarmProblem(o: SwarmOptions): string | null {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > SWARM_MAX)
    return `count must be a whole number from 1 to ${SWARM_MAX}`;
  if (!(o.durationS > 0 && o.durationS <= SWARM_MAX_S))
    return `duration must be more than 0 and at most ${SWARM_MAX_S} seconds`;
  if ((o.prefix ?? 'Bot').length > NICKNAME_PREFIX_MAX)
    return `prefix must be at most ${NICKNAME_PREFIX_MAX} characters`;
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(o.skill))
    return 'skill must look like "novice", "competent" or "expert"';
  return null;
}

/** Runs a swarm to its end and reports; rejects only on bad options. */
export async function runSwarm(o: SwarmOptions, signal?: AbortSignal): Promise<SwarmReport> {
  const problem = swarmProblem(o);
  if (problem) throw new Error(problem);
  const started = Date.now();
  const deadline = started + o.durationS * 1_000;
  const bots: Bot[] = [];
  const refused: Record<string, number> = {};
  const prefix = o.prefix ?? 'Bot';
  let next = 0;
  const joinOne = async (): Promise<void> => {
    while (next < o.count && Date.now() < deadline && !signal?.aborted) {
      const i = next++;
      try {
        const bot = await Bot.join({
          url: o.url,
          code: o.code,
          nickname: `${prefix}${i + 1}`,
          skill: o.skill,
          ...(o.team === undefined ? {} : { team: o.team }),
        });
        bots.push(bot);
        if (bots.length % 100 === 0) o.onProgress?.(`${bots.length} bots joined`);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        refused[reason] = (refused[reason] ?? 0) + 1;
      }
    }
  };
  const concurrency = Math.max(1, Math.min(o.concurrency ?? 16, o.count));
  await Promise.all(Array.from({ length: concurrency }, joinOne));
  o.onProgress?.(`${bots.length} of ${o.count} bots joined`);
  o.onJoined?.(bots.length);
  await waitUntil(deadline, signal, () => o.untilEnd === true && bots[0]?.state?.phase === 'ended');
  const report: SwarmReport = {
    joined: bots.length,
    refused,
    refusals: tally(bots.flatMap((b) => b.refusals)),
    received: {},
    connectedAtEnd: bots.filter((b) => b.connected).length,
    phase: bots[0]?.state?.phase ?? '',
    elapsedMs: 0,
  };
  for (const b of bots)
    for (const [type, n] of b.received) report.received[type] = (report.received[type] ?? 0) + n;
  await Promise.all(bots.map((b) => b.leave()));
  report.elapsedMs = Date.now() - started;
  return report;
}

/**
 * Swarms in several rooms at once (a load run): `count` bots shared out over `codes` as
 * evenly as they go, every swarm with the same options; one report, summed. `onJoined`
 * is called once per room.
 */
export async function runSwarms(
  codes: readonly string[],
  o: Omit<SwarmOptions, 'code'>,
  signal?: AbortSignal,
): Promise<SwarmReport & { rooms: number }> {
  if (codes.length === 0) throw new Error('no room code');
  const shares = codes.map(
    (_, i) => Math.floor(o.count / codes.length) + (i < o.count % codes.length ? 1 : 0),
  );
  const problem = swarmProblem({ ...o, code: codes[0] ?? '' });
  if (problem) throw new Error(problem);
  const reports = await Promise.all(
    codes.flatMap((code, i) => {
      const count = shares[i] ?? 0;
      return count > 0
        ? [runSwarm({ ...o, code, count, prefix: `${o.prefix ?? 'Bot'}${i + 1}-` }, signal)]
        : [];
    }),
  );
  const sum = (pick: (r: SwarmReport) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const r of reports) for (const [k, n] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  return {
    rooms: reports.length,
    joined: reports.reduce((n, r) => n + r.joined, 0),
    refused: sum((r) => r.refused),
    refusals: sum((r) => r.refusals),
    received: sum((r) => r.received),
    connectedAtEnd: reports.reduce((n, r) => n + r.connectedAtEnd, 0),
    phase: [...new Set(reports.map((r) => r.phase))].join(','),
    elapsedMs: Math.max(0, ...reports.map((r) => r.elapsedMs)),
  };
}

function tally(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/** Resolves at `deadlineMs`, on abort, or once `done()` holds (checked every 250 ms). */
function waitUntil(deadlineMs: number, signal: AbortSignal | undefined, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (Date.now() >= deadlineMs || signal?.aborted || done()) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, 250);
    check();
  });
}
