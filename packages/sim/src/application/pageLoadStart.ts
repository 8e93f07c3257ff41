/** Starting a page load: the lookup, then the request to the answered address (SPEC PAGE-1). */
import { assert, type SimCore } from '../engine/core.ts';
import { type LookupResult, lookupName } from './dns/stub.ts';
import { failPageLoad, type PageLoadState, pageLoadOf } from './pageLoad.ts';
import { requestFlow } from './requests.ts';
import { startTcpRequest } from './tcpApp.ts';

/** Unit `unit` of a page-load flow starts: its state, and the lookup of the flow's name. */
export function startPageLoad(sim: SimCore, flow: number, unit: number): void {
  const f = requestFlow(sim, flow);
  const name = f.kind === 'tcp' ? f.name : undefined;
  assert(name !== undefined, 'a page-load flow is a tcp flow with a name (FLAG_PAGE_LOAD)');
  (sim.st.pageLoads[flow] as Record<number, PageLoadState>)[unit] = {
    name,
    startUs: sim.st.nowUs,
    dnsDoneUs: -1,
    source: 'authority',
    stale: false,
    addr: 0,
    connectedUs: -1,
    requestSentUs: -1,
  };
  const done = lookupName(sim, sim.sc.flowEnds[2 * flow] as number, flow, unit, name);
  if (done) lookupDone(sim, done);
}

/**
 * A stub's lookup ended: a page load waiting for it fails in its dns phase, or sends its
 * request to the first answered address. (Lookups of DNS flows end here too; they have
 * no page load.)
 */
export function lookupDone(sim: SimCore, result: LookupResult): void {
  const { flow, unit } = result;
  const load = pageLoadOf(sim, flow, unit);
  if (!load) return;
  if ('failure' in result)
    return failPageLoad(sim, flow, unit, 'dns', result.failure === 'timeout' ? 'dns-timeout' : 'servfail');
  const addr = result.addrs[0];
  if (result.rcode === 'NXDOMAIN' || addr === undefined)
    return failPageLoad(sim, flow, unit, 'dns', 'nxdomain');
  load.dnsDoneUs = sim.st.nowUs;
  load.source = result.source;
  load.stale = result.stale;
  load.addr = addr;
  startTcpRequest(sim, flow, unit, addr);
}
