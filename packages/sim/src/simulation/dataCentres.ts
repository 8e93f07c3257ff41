/** Data-centre outages (SPEC DC-3): a scripted event or the host's `dc.outage` command darkens or restores every host of a data centre. */
import type { CommandError } from '../engine/core.ts';
import { syncNodeModes } from './derived.ts';
import type { Simulation } from './simulation.ts';

/** Data centre `dcId` goes dark (`down`) or comes back; packets to and from its hosts are dropped `host-down` while dark. */
export function setDcDown(sim: Simulation, dcId: string, down: boolean): CommandError {
  const dc = sim.sc.regions.dcIndex.get(dcId);
  if (dc === undefined) return `unknown data centre "${dcId}"`;
  sim.st.dcDown[dc] = down;
  syncNodeModes(sim, sim.st, sim.sc);
  return null;
}
