/**
 * `pnpm sim <scenario> [--seed N] [--duration 60s] [--json]`: runs a scenario
 * headless and prints its metrics. The only IO in this package lives here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MetricsCollector } from './metrics.ts';
import type { SimRecord } from './records.ts';
import { loadScenario, type Scenario, ScenarioError } from './scenario.ts';
import { Scoreboard } from './scoring.ts';
import { Simulation } from './simulation.ts';
import { tcpSamplesCsv } from './trace.ts';
import { US_PER_S } from './units.ts';

const USAGE =
  'usage: pnpm sim <scenario.json | scenario-id> [--seed N] [--duration 60s|500ms|2m] [--json]\n' +
  "       pnpm sim <scenario> --trace <flow-id>[:request] [--side server|client] --csv   (one TCP connection's cwnd, ssthresh, SRTT, RTO)";

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
  const byId = resolve(import.meta.dirname, '../../../scenarios', `${arg}.json`);
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
  const sim = new Simulation(scenario, seed);
  sim.traceTcp = traced !== null;
  const samples: Extract<SimRecord, { k: 'tcpSample' }>[] = [];
  // Every seat is empty in a headless run: the bots drive the routers.
  for (const n of scenario.file.nodes)
    if (n.kind === 'router') sim.apply({ type: 'router.bot', router: n.id });
  const metrics = new MetricsCollector();
  const scores = new Scoreboard(scenario);
  sim.onRecord((r) => {
    metrics.add(r);
    scores.add(r);
    if (
      r.k === 'tcpSample' &&
      traced &&
      r.flow === traced.flow &&
      r.unit === traced.unit &&
      r.role === traced.role
    )
      samples.push(r);
  });
  sim.advanceTo(durationUs);
  if (traced) {
    if (values.csv) process.stdout.write(tcpSamplesCsv(samples));
    else console.log(JSON.stringify(samples, null, 2));
    return 0;
  }
  const report = {
    scenario: scenario.file.id,
    seed,
    durationS: durationUs / US_PER_S,
    stateHash: sim.stateHash(),
    channels: metrics.summary(durationUs),
    score: {
      network: scores.network,
      routers: Object.fromEntries(
        scenario.file.nodes.filter((n) => n.kind === 'router').map((n) => [n.id, scores.routerScore(n.id)]),
      ),
    },
  };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printTable(report);
  return 0;
}

/** "web:3" → flow "web", request 3 (default 0), on the given side; or why not. */
function parseTraceTarget(
  text: string,
  scenario: Scenario,
  side: string | undefined,
): { flow: number; unit: number; role: 'client' | 'server' } | string {
  const [flowId, unitText = '0'] = text.split(':');
  const flow = scenario.file.traffic.findIndex((f) => f.id === flowId);
  if (flow < 0 || scenario.file.traffic[flow]?.kind !== 'tcp')
    return `--trace: "${flowId}" is not a TCP flow of ${scenario.file.id}`;
  const unit = Number(unitText);
  if (!Number.isInteger(unit) || unit < 0) return `--trace: "${unitText}" is not a request number`;
  if (side !== 'server' && side !== 'client') return `--side must be server or client, got "${side}"`;
  return { flow, unit, role: side };
}

function printTable(report: {
  scenario: string;
  seed: number;
  durationS: number;
  stateHash: string;
  channels: ReturnType<MetricsCollector['summary']>;
  score: { network: number };
}): void {
  console.log(
    `${report.scenario}  seed ${report.seed}  ${report.durationS} s simulated  hash ${report.stateHash}`,
  );
  for (const [name, m] of Object.entries(report.channels)) {
    console.log(
      `${name.toUpperCase()}  sent ${m.sent}  delivered ${m.delivered}  lost ${m.lost} (${(m.lossRate * 100).toFixed(1)} %)  ` +
        `p50 ${m.p50LatencyMs.toFixed(1)} ms  p95 ${m.p95LatencyMs.toFixed(1)} ms  goodput ${m.goodputKbps.toFixed(1)} kbit/s  ` +
        `retransmissions ${m.retransmissions}`,
    );
    for (const [reason, n] of Object.entries(m.failuresByReason)) console.log(`    ${reason}: ${n}`);
  }
  console.log(`network score ${report.score.network}`);
}

if (import.meta.main) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof ScenarioError || e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
