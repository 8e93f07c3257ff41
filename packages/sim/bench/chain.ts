/**
 * A diagnostic topology for `pnpm bench`: 40 routers in a line, one host at each
 * end, 200 UDP calls crossing the whole line (43 hops per packet). With so many hops
 * per packet the end-host work (sending, deadlines, delivery) is spread thin, so
 * its packet-hops/s is what the hop path alone costs: forwarding with a 42-route
 * table, FIFO commit, the timing wheel. Built in memory; used by run.ts only.
 */
import { loadScenario, type Scenario } from '../src/scenario/scenario.ts';

const ROUTERS = 40;
const CALLS = 200;
/** Prefixes besides the two that matter, so each lookup scans a realistic table. */
const EXTRA_ROUTES = 40;

export function chainScenario(): Scenario {
  const nodes: unknown[] = [
    { id: 'ha', kind: 'host', address: '10.1.0.10', x: 0, y: 0 },
    { id: 'hb', kind: 'host', address: '10.2.0.10', x: 0, y: 0 },
  ];
  const link = (id: string, a: string, b: string, latencyMs: number) => ({
    id,
    a,
    b,
    latencyMs,
    bandwidthKbps: 1_000_000,
    queuePackets: 1_000,
  });
  const links: unknown[] = [link('la', 'ha', 'r0', 1), link('lb', `r${ROUTERS - 1}`, 'hb', 1)];
  for (let i = 0; i < ROUTERS; i++) {
    const west = i === 0 ? 'ha' : `r${i - 1}`;
    const east = i === ROUTERS - 1 ? 'hb' : `r${i + 1}`;
    const routes = [
      { prefix: '10.1.0.0/16', via: west },
      { prefix: '10.2.0.0/16', via: east },
      ...Array.from({ length: EXTRA_ROUTES }, (_, k) => ({ prefix: `10.${100 + k}.0.0/16`, via: west })),
    ];
    nodes.push({ id: `r${i}`, kind: 'router', x: 0, y: 0, seat: false, handForwarding: false, routes });
    if (i > 0) links.push(link(`l${i}`, `r${i - 1}`, `r${i}`, 1 + (i % 7)));
  }
  const traffic = Array.from({ length: CALLS }, (_, f) => ({
    id: `call${f}`,
    kind: 'udp',
    from: f % 2 ? 'ha' : 'hb',
    to: f % 2 ? 'hb' : 'ha',
    startS: (f % 100) / 100,
    intervalMs: 20,
    frameBytes: 200,
    deadlineMs: 1_000,
  }));
  const file = {
    id: 'chain-40',
    title: 'Chain of 40 routers',
    lesson: 1,
    durationS: 60,
    nodes,
    links,
    traffic,
  };
  return loadScenario(file, 'chain-40 (bench/chain.ts)');
}
