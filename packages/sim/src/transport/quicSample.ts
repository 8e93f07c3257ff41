/**
 * Observability for the QUIC-like channel (SPEC QUIC-TRACE-1): a `quicSample`
 * record of one endpoint's congestion-control figures after an event. Reads the
 * connection only, so tracing never changes state.
 */
import type { SimCore } from '../engine/core.ts';
import type { QuicSampleEvent } from '../engine/records.ts';
import { ptoUs } from './quicRecovery.ts';
import type { QuicConn } from './quicTypes.ts';

/** Reports the endpoint's figures when tracing is on (`traceCongestion` turns on TCP and QUIC samples alike). */
export function sampleQuic(sim: SimCore, q: QuicConn, event: QuicSampleEvent): void {
  if (!sim.traceCongestion) return;
  sim.emit({
    k: 'quicSample',
    tUs: sim.st.nowUs,
    conn: q.id,
    role: q.role,
    flow: q.flow,
    unit: q.unit,
    event,
    state: event === 'close' ? 'closed' : q.handshakeDone ? 'established' : 'handshake',
    cwndBytes: q.cwndBytes,
    ssthreshBytes: q.ssthreshBytes,
    flightBytes: q.bytesInFlight,
    srttUs: q.srttUs,
    rttvarUs: q.rttvarUs,
    ptoUs: ptoUs(q) * 2 ** q.ptoCount,
    ptoCount: q.ptoCount,
    retransmissions: q.retransmissions,
  });
}
