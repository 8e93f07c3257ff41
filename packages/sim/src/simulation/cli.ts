/**
 * `pnpm sim <scenario> [--seed N] [--duration 60s] [--json]`: runs a scenario
 * headless and prints its metrics. The only IO in this package lives here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordListener } from '../engine/records.ts';
import { US_PER_S } from '../engine/units.ts';
import { ConnTrace, parseTraceTarget } from '../observation/connTrace.ts';
import { MetricsCollector, type PageLoadMetrics } from '../observation/metrics.ts';
import { Scoreboard } from '../observation/scoring.ts';
import { loadScenario, type Scenario, ScenarioError } from '../scenario/scenario.ts';
import type { SimCommand } from './commands.ts';
import { Simulation } from './simulation.ts';

const USAGE =
  'usage: pnpm sim <scenario.json | scenario-id> [--seed N] [--duration 60s|500ms|2m] [--bot-skill novice|competent|expert] [--json]\n' +
  "       pnpm sim <scenario> --trace <flow-id>[:request] [--side server|client] --csv   (one TCP or QUIC connection's cwnd, ssthresh, SRTT, RTO/PTO; JSON without --csv)";

/** Parses "60s", "500ms", "2m" or a bare number of seconds into µs; null when malformed. */
export function parseDurationUs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]);
  const unitUs = m[2] === 'ms' ? 1_000 : m[2] === 'm' ? 60 * US_PER_S : US_PER_S;
  return Math.round(value * unitUs);
}

function scenarioPath(arg: string): string {
  if (existsSync(arg)) return arg;
  const byId = resolve(import.meta.dirname, '../../../../scenarios', `${arg}.json`);
  if (existsSync(byId)) return byId;
  throw new Error(`no scenario file "${arg}" (give a path or the id of a file in scenarios/)`);
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '1' },
      duration: { type: 'string' },
      json: { type: 'boolean', default: false },
      trace: { type: 'string' },
      side: { type: 'string', default: 'server' },
      csv: { type: 'boolean', default: false },
      'bot-skill': { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`--seed must be a non-negative integer, got "${values.seed}"\n${USAGE}`);
    return 2;
  }
  const path = scenarioPath(file);
  const scenario = loadScenario(readFileSync(path, 'utf8'), path);
  const durationUs = values.duration ? parseDurationUs(values.duration) : scenario.file.durationS * US_PER_S;
  if (durationUs === null || durationUs <= 0) {
    console.error(`--duration must look like 60s, 500ms or 2m, got "${values.duration}"\n${USAGE}`);
    return 2;
  }
  const traced = values.trace ? parseTraceTarget(values.trace, scenario, values.side) : null;
  if (typeof traced === 'string') {
    console.error(`${traced}\n${USAGE}`);
    return 2;
  }
  const trace = traced ? new ConnTrace(traced) : null;
  const report = runHeadless(scenario, seed, durationUs, {
    botSkill: values['bot-skill'],
    traceCongestion: traced !== null,
    onRecord: trace ? (r) => trace.add(r) : undefined,
  });
  if (trace) {
    const out = trace.output(values.csv);
    if ('error' in out) {
      console.error(out.error);
      return 2;
    }
    process.stdout.write(out.text);
    return 0;
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printTable(report);
  return 0;
}

/** What a headless run prints with --json. */
export interface HeadlessReport {
  scenario: string;
  seed: number;
  durationS: number;
  stateHash: string;
  channels: ReturnType<MetricsCollector['summary']>;
  /** The team's score, and each role node's (by id). */
  score: { network: number; nodes: Record<string, number> };
}

/**
 * Runs a scenario headless for `durationUs` with every seat empty (bots hold the
 * routers) and returns its metrics. `onRecord` sees every record (the golden
 * regression test hashes the stream).
 */
export function runHeadless(
  scenario: Scenario,
  seed: number,
  durationUs: number,
  opts: {
    traceCongestion?: boolean;
    onRecord?: RecordListener | undefined;
    bots?: boolean;
    /** The bots' skill (SPEC BOT-1); without it each seat's default. */
    botSkill?: string | undefined;
    /** Commands applied at given simulated times, in order (the golden runs' players). */
    commands?: readonly { atUs: number; cmd: SimCommand }[];
  } = {},
): HeadlessReport {
  const sim = new Simulation(scenario, seed);
  sim.traceCongestion = opts.traceCongestion ?? false;
  // Every seat is empty in a headless run: the bots hold them (unless told not to: lesson 1's packets then wait by hand and time out).
  if (opts.bots ?? true)
    for (const seat of scenario.seats) {
      const cmd: SimCommand = { type: 'seat.bot', node: seat.node };
      if (opts.botSkill !== undefined) cmd.skill = opts.botSkill;
      const refused = sim.apply(cmd);
      if (refused) throw new Error(`seat ${seat.node}: ${refused}`);
    }
  const metrics = new MetricsCollector();
  const scores = new Scoreboard(scenario);
  const onRecord = opts.onRecord;
  sim.onRecord((r) => {
    metrics.add(r);
    scores.add(r);
    onRecord?.(r);
  });
  for (const { atUs, cmd } of opts.commands ?? []) {
    sim.advanceTo(Math.min(atUs, durationUs));
    const refused = sim.apply(cmd);
    if (refused) throw new Error(`command ${cmd.type} refused: ${refused}`);
  }
  sim.advanceTo(durationUs);
  return {
    scenario: scenario.file.id,
    seed,
    durationS: durationUs / US_PER_S,
    stateHash: sim.stateHash(),
    channels: metrics.summary(durationUs),
    score: {
      network: scores.network,
      nodes: Object.fromEntries(
        scenario.file.nodes.filter((n) => n.kind !== 'host').map((n) => [n.id, scores.nodeScore(n.id)]),
      ),
    },
  };
}

function printTable(report: HeadlessReport): void {
  console.log(
    `${report.scenario}  seed ${report.seed}  ${report.durationS} s simulated  hash ${report.stateHash}`,
  );
  const { dns, pageLoads, ...channels } = report.channels;
  for (const [name, m] of Object.entries(channels)) {
    console.log(
      `${name.toUpperCase()}  sent ${m.sent}  delivered ${m.delivered}  lost ${m.lost} (${(m.lossRate * 100).toFixed(1)} %)  ` +
        `p50 ${m.p50LatencyMs.toFixed(1)} ms  p95 ${m.p95LatencyMs.toFixed(1)} ms  goodput ${m.goodputKbps.toFixed(1)} kbit/s  ` +
        `retransmissions ${m.retransmissions}`,
    );
    for (const [reason, n] of Object.entries(m.failuresByReason)) console.log(`    ${reason}: ${n}`);
  }
  if (dns) {
    const by = dns.answeredBy;
    console.log(
      `DNS  lookups ${dns.sent}  resolved ${dns.resolved}  failed ${dns.failed}  p50 ${dns.p50LatencyMs.toFixed(1)} ms  ` +
        `p95 ${dns.p95LatencyMs.toFixed(1)} ms  from stub cache ${by.stub}  resolver cache ${by.resolver}  authority ${by.authority}  stale ${dns.stale}`,
    );
    for (const [reason, n] of Object.entries(dns.failuresByReason)) console.log(`    ${reason}: ${n}`);
  }
  if (pageLoads) printPageLoads(pageLoads);
  console.log(`network score ${report.score.network}`);
}

/** The page-load line (SPEC MET-4): counts, p50/p95 per phase, where answers came from, failures by phase. */
function printPageLoads(p: PageLoadMetrics): void {
  const ms = (phase: keyof PageLoadMetrics['phases']) =>
    `${phase} ${p.phases[phase].p50Ms.toFixed(1)}/${p.phases[phase].p95Ms.toFixed(1)}`;
  const by = p.answeredBy;
  console.log(
    `PAGE  loads ${p.completed}  failed ${p.failed}  p50/p95 ms: ${(['total', 'dns', 'connect', 'tls', 'firstByte', 'response'] as const).map(ms).join('  ')}  ` +
      `names from stub cache ${by.stub}  resolver cache ${by.resolver}  authority ${by.authority}`,
  );
  for (const [phase, reasons] of Object.entries(p.failures))
    for (const [reason, n] of Object.entries(reasons)) console.log(`    ${phase}: ${reason}: ${n}`);
}

if (import.meta.main) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof ScenarioError || e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
