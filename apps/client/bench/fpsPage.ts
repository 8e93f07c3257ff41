/**
 * The page `pnpm bench:client` drives (fps.ts): the real network scene drawing a
 * replica, stepped by 20 Hz ticks as a room would send them, with no server.
 * `?scene=lesson` (default) is lesson 2's map made busy, `?scene=reference` the
 * 200-node benchmark network; `?load=L` scales the traffic (more packets on screen);
 * `?timeScale=S` is simulated seconds per wall second. It records every frame's
 * time, the game loop's JS time and the packets drawn in `window.fpsBench`.
 */
import { loadScenario, type SimCommand, Simulation } from '@roundtrip/sim';
import reference from '../../../scenarios/bench/reference-200.json';
import lesson2 from '../../../scenarios/lesson-2-mail.json';
import { Replica } from '../src/net/replica.ts';
import { createGame } from '../src/scenes/game.ts';
import { NETWORK_SCENE, type NetworkScene } from '../src/scenes/NetworkScene.ts';
import { NetworkViewModel } from '../src/view/viewModel.ts';

interface FpsBench {
  ready: boolean;
  /** requestAnimationFrame timestamps, ms. */
  frameMs: number[];
  /** Per game step: JS time from Phaser's pre-step to its post-render, ms. */
  loopJsMs: number[];
  packetsDrawn: number[];
}

const TICK_HZ = 20;
const params = new URLSearchParams(location.search);
const load = Number(params.get('load') ?? '1');
const scene = params.get('scene') === 'reference' ? 'reference' : 'lesson';
const timeScale = Number(params.get('timeScale') ?? '0.1');
const bench: FpsBench = { ready: false, frameMs: [], loopJsMs: [], packetsDrawn: [] };
(window as unknown as { fpsBench: FpsBench }).fpsBench = bench;

const scenario = loadScenario(scene === 'reference' ? referenceAt(load) : busyLesson(load), `${scene}.json`);

/** The reference network (200 nodes) at `load` times its traffic, as packages/sim/bench/load.ts makes it. */
function referenceAt(times: number): unknown {
  const raw = structuredClone(reference) as { traffic: Record<string, unknown>[] };
  for (const f of raw.traffic) {
    if (typeof f.intervalMs === 'number') f.intervalMs /= times;
    if (typeof f.everyMs === 'number') f.everyMs /= times;
  }
  return raw;
}

/**
 * Lesson 2's map as players see it, made busy: its links at 1 Gbit/s with room to
 * queue, and 100 × `times` video calls each way between its two pairs of hosts.
 */
function busyLesson(times: number): unknown {
  const raw = structuredClone(lesson2) as {
    links: Record<string, unknown>[];
    traffic: Record<string, unknown>[];
  };
  for (const l of raw.links) {
    l.bandwidthKbps = 1_000_000;
    l.queuePackets = 1_000;
  }
  const pairs = [
    ['h-caller', 'h-callee'],
    ['h-callee', 'h-caller'],
    ['h-client', 'h-server'],
    ['h-server', 'h-client'],
  ] as const;
  const calls = Math.max(1, Math.round(100 * times));
  raw.traffic = Array.from({ length: calls }, (_, i) => {
    const [from, to] = pairs[i % pairs.length] as readonly [string, string];
    return {
      id: `call-${i}`,
      kind: 'udp',
      label: 'video call',
      from,
      to,
      // Spread over one 20 ms interval (0.1 ms apart), so packets follow each other along the links.
      startS: (i % 200) / 10_000,
      intervalMs: 20,
      frameBytes: 300,
      deadlineMs: 400,
    };
  });
  return raw;
}

// A room would send the snapshot of a running copy: bots in every seat, two simulated seconds in.
const authority = new Simulation(scenario, 1);
for (const { node } of scenario.seats) authority.apply({ type: 'seat.bot', node } satisfies SimCommand);
authority.advanceTo(2_000_000);
const replica = new Replica({ scenario, copy: 0, requestResync: () => {} });
replica.handleSnapshot({ copy: 0, tick: 0, seed: 1, bytes: authority.snapshot() }, performance.now());

const vm = new NetworkViewModel({
  replica,
  linkUtilPct: () => 35,
  timeRate: () => timeScale,
  myNode: null,
  selectedLink: () => null,
  inspectedPacket: () => null,
});
const game = createGame(document.getElementById('game') as HTMLElement, vm);

let tick = 0;
setInterval(() => {
  const sim = replica.sim;
  if (!sim) return;
  tick++;
  const simTimeUs = sim.nowUs + Math.round((1_000_000 / TICK_HZ) * timeScale);
  replica.handleTick({ copy: 0, tick, simTimeUs, commands: [] }, performance.now());
}, 1000 / TICK_HZ);

let stepStart = 0;
game.events.on('prestep', () => {
  stepStart = performance.now();
});
game.events.on('postrender', () => {
  if (stepStart === 0) return;
  bench.loopJsMs.push(performance.now() - stepStart);
  const scene = game.scene.getScene(NETWORK_SCENE) as NetworkScene | null;
  bench.packetsDrawn.push(scene?.packetsDrawn ?? 0);
});
const onFrame = (t: number) => {
  bench.frameMs.push(t);
  requestAnimationFrame(onFrame);
};
requestAnimationFrame(onFrame);
bench.ready = true;
