/**
 * `pnpm bots --url http://localhost:2567 --code ABCDE --count 20 --skill expert`
 * (SPEC BOTS-3): joins that many headless players (shared out when --code lists several rooms), each seat played by its own bot at
 * the skill, for --duration seconds (60 by default) or until the round ends
 * (--until-end), then prints what happened. Exit code 1 when a join was refused.
 */
import { parseArgs } from 'node:util';
import { runSwarms, SWARM_MAX, SWARM_MAX_S } from './swarm.ts';

const USAGE = `usage: pnpm bots --code CODE[,CODE…] [--url http://localhost:2567] [--count 1] [--skill competent]
                 [--team N] [--duration 60] [--until-end] [--prefix Bot] [--concurrency 16]
  count at most ${SWARM_MAX} (shared out over the codes); duration at most ${SWARM_MAX_S} s;
  --team is 1-based (a competition's team).`;

function main(): Promise<number> | number {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (values.help || !values.code) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const team = values.team === undefined ? undefined : Number(values.team) - 1;
  const codes = values.code
    .toUpperCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  return runSwarms(
    codes,
    {
      url: values.url,
      count: Number(values.count),
      skill: values.skill,
      ...(team === undefined ? {} : { team }),
      durationS: Number(values.duration),
      untilEnd: values['until-end'],
      prefix: values.prefix,
      concurrency: Number(values.concurrency),
      onProgress: (line) => console.error(line),
    },
    controller.signal,
  ).then(
    (report) => {
      console.log(JSON.stringify(report, null, 2));
      return Object.keys(report.refused).length > 0 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
      return 2;
    },
  );
}

function parse() {
  return parseArgs({
    options: {
      url: { type: 'string', default: 'http://localhost:2567' },
      code: { type: 'string' },
      count: { type: 'string', default: '1' },
      skill: { type: 'string', default: 'competent' },
      team: { type: 'string' },
      duration: { type: 'string', default: '60' },
      'until-end': { type: 'boolean', default: false },
      prefix: { type: 'string', default: 'Bot' },
      concurrency: { type: 'string', default: '16' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
}

process.exitCode = await main();
