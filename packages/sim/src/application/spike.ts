/** Traffic spikes (SPEC TRF-5): the host multiplies flows' offered load for a while. */
import type { CommandError } from '../engine/core.ts';
import type { SimState } from '../engine/state.ts';
import { sToUs } from '../engine/units.ts';
import type { Simulation } from '../simulation/simulation.ts';

/** The largest factor a spike may multiply a flow's load by. */
export const MAX_SPIKE_FACTOR = 20;

/**
 * `traffic.spike {factor, seconds, flow?}`: from now for `seconds`, flow `flow` (every
 * flow without one) starts `factor` times as many units. A spike on a flow replaces the
 * one it had. The units already scheduled keep their times, so a flow speeds up from its
 * next unit on.
 */
export function startSpike(sim: Simulation, factor: number, seconds: number, flowId?: string): CommandError {
  if (!(factor > 1 && factor <= MAX_SPIKE_FACTOR))
    return `a spike multiplies the load by more than 1, at most ${MAX_SPIKE_FACTOR}`;
  if (!(seconds > 0 && seconds <= 3_600)) return 'a spike lasts more than 0 and at most 3,600 seconds';
  const flows = sim.sc.file.traffic;
  const only = flowId === undefined ? -1 : flows.findIndex((f) => f.id === flowId);
  if (flowId !== undefined && only < 0) return `unknown flow "${flowId}"`;
  if (flows.length === 0) return 'this lesson has no traffic to spike';
  const st = sim.st;
  const untilUs = st.nowUs + sToUs(seconds);
  for (let flow = 0; flow < flows.length; flow++) {
    if (only >= 0 && flow !== only) continue;
    st.spikeFactor[flow] = factor;
    st.spikeUntilUs[flow] = untilUs;
  }
  st.spikeEndUs = Math.max(...st.spikeUntilUs);
  return null;
}

/**
 * The gap before a flow's next unit: its own gap `gapUs`, shortened by the flow's factor
 * while its spike lasts (at least 1 µs). Only called around spikes (traffic.ts startUnit).
 */
export function spikedGapUs(st: SimState, flow: number, gapUs: number): number {
  if (st.nowUs >= (st.spikeUntilUs[flow] as number)) return gapUs;
  return Math.max(1, Math.round(gapUs / (st.spikeFactor[flow] as number)));
}
