/** What a host does with a DNS packet addressed to it: its stub takes responses, its zone answers queries. */
import type { SimCore } from '../../engine/core.ts';
import type { Packet } from '../../engine/state.ts';
import type { HostDnsSpec } from '../../scenario/scenarioSchema.ts';
import { lookupDone } from '../pageLoadStart.ts';
import { authorityReceive } from './authority.ts';
import { stubReceive } from './stub.ts';

/** A DNS packet reached host `node`; a host with no DNS role ignores it. */
export function dnsDeliver(sim: SimCore, node: number, p: Packet): void {
  const n = sim.sc.file.nodes[node];
  const dns: HostDnsSpec | undefined = n?.kind === 'host' ? n.dns : undefined;
  if (!dns) return;
  if ('stub' in dns) {
    const done = stubReceive(sim, node, p);
    if (done) lookupDone(sim, done);
  } else authorityReceive(sim, node, dns.zone, p);
}
