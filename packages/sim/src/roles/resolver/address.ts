import type { SimCore } from '../../engine/core.ts';
import { parseAddress } from '../../network/address.ts';
import type { ResolverSpec } from './spec.ts';
import type { ResolverState } from './state.ts';

/** The address a resolver's own queries and probes leave from: an anycast instance's unicast address, else its address (SPEC ANY-2). */
export function ownAddress(sim: SimCore, r: ResolverState): number {
  const unicast = (sim.sc.file.nodes[r.node] as unknown as ResolverSpec).unicastAddress;
  return unicast === undefined ? (sim.sc.hostAddr[r.node] as number) : (parseAddress(unicast) as number);
}
