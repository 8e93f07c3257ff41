/**
 * One bot process of `pnpm bench:load` (forked by load.ts, never run by hand): runs
 * `runSwarms` over its share of the room codes for the run's duration, answers the
 * parent's RSS questions, and sends its report. Its bots' CPU and memory stay out of
 * the measuring process and out of the server's. It exits when the parent lets go of it (or goes).
 */
import { runSwarms, type SwarmReport } from '@roundtrip/bots';

/** Parent → bot process. */
export type ToBots =
  | {
      kind: 'plan';
      url: string;
      codes: string[];
      count: number;
      skill: string;
      seconds: number;
      prefix: string;
      concurrency: number;
    }
  | { kind: 'rss' }
  | { kind: 'abort' };

/** Bot process → parent. */
export type FromBots =
  | { kind: 'joined'; joined: number }
  | { kind: 'rss'; rssMb: number }
  | { kind: 'report'; report: SwarmReport & { rooms: number } }
  | { kind: 'failed'; message: string };

const send = (m: FromBots) => process.send?.(m);
const controller = new AbortController();
// These bots read only what they count: the SDK's warning for a message type without a handler is expected.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).includes('onMessage() not registered')) warn(...args);
};

let reported = false;
process.on('disconnect', () => process.exit(reported ? 0 : 1));
process.on('SIGINT', () => controller.abort());
process.on('message', (m: ToBots) => {
  if (m.kind === 'rss') send({ kind: 'rss', rssMb: process.memoryUsage().rss / 2 ** 20 });
  else if (m.kind === 'abort') controller.abort();
  else
    run(m).catch((e: unknown) =>
      send({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
});

async function run(plan: Extract<ToBots, { kind: 'plan' }>): Promise<void> {
  let rooms = 0;
  let joined = 0;
  const report = await runSwarms(
    plan.codes,
    {
      url: plan.url,
      count: plan.count,
      skill: plan.skill,
      durationS: plan.seconds,
      prefix: plan.prefix,
      concurrency: plan.concurrency,
      // Called once per room: all of this process's joins are over at the last.
      onJoined: (n) => {
        joined += n;
        if (++rooms === plan.codes.length) send({ kind: 'joined', joined });
      },
    },
    controller.signal,
  );
  reported = true;
  send({ kind: 'report', report });
}
