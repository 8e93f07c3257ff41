import { type Scenario, Simulation } from '@roundtrip/sim';
import { Replica } from '../net/replica.ts';
import { NetworkViewModel } from './viewModel.ts';

/**
 * For the view's tests: a view-model over a replica of `sc` (seed 1) as `myNode`'s player
 * sees it, 1000×600, and `step(n)` to play n ticks of 50 ms (the server's tick) into it —
 * drawing a frame after each when `frameEachTick` (what fades by wall time needs frames).
 */
export function replicaView(sc: Scenario, myNode: string, frameEachTick = false) {
  const authority = new Simulation(sc, 1);
  const replica = new Replica({ scenario: sc, copy: 0, requestResync: () => {} });
  replica.handleSnapshot({ copy: 0, tick: 0, seed: 1, bytes: authority.snapshot() });
  const vm = new NetworkViewModel({
    replica,
    linkUtilPct: () => 0,
    timeRate: () => 1,
    myNode,
    selectedLink: () => null,
    inspectedPacket: () => null,
  });
  vm.resize(1000, 600);
  const sim = replica.sim as Simulation;
  let tick = 0;
  const step = (n: number) => {
    for (let i = 0; i < n; i++) {
      replica.handleTick({ copy: 0, tick: ++tick, simTimeUs: sim.nowUs + 50_000, commands: [] });
      if (frameEachTick) vm.frame(performance.now());
    }
  };
  return { vm, sim, step };
}
