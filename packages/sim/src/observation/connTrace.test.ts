import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_REQUEST } from '../testing/lineScenario.ts';
import { ConnTrace, parseTraceTarget } from './connTrace.ts';

/** One QUIC request at t = 0 (h-a client, h-b server) with a 30 kB response: about 30 data packets. */
const QUIC_REQUEST = { ...ONE_REQUEST, id: 'web', kind: 'quic', responseBytes: 30_000, timeoutMs: 60_000 };
/** b→a packet 12 on the r1—r2 link is one of the server's first response packets (after the 4-packet server flight). */
const LOSE_ONE_RESPONSE_PACKET = { ba: [12] };
/** RFC 9002 §7.2 initial window at MSS 1,000: min(10 · 1,048, max(14,720, 2 · 1,048)). */
const INITIAL_WINDOW = 10_480;

function traced(file: unknown, target: string, side = 'server', untilUs = 10_000_000) {
  const sc = loadScenario(file, 'line.json');
  const t = parseTraceTarget(target, sc, side);
  if (typeof t === 'string') throw new Error(t);
  const sim = new Simulation(sc, 1);
  sim.traceCongestion = true;
  const trace = new ConnTrace(t);
  sim.onRecord((r) => trace.add(r));
  sim.advanceTo(untilUs);
  return { sim, trace };
}

/** The CSV as its header and one record per row, keyed by column name. */
function csvRows(trace: ConnTrace): { header: string; rows: Record<string, string>[] } {
  const out = trace.output(true);
  if ('error' in out) throw new Error(out.error);
  const [header = '', ...lines] = out.text.trim().split('\n');
  const cols = header.split(',');
  return { header, rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v]))) };
}

describe('--trace of a QUIC connection — SPEC QUIC-TRACE-1', () => {
  it('prints cwnd, ssthresh, bytes in flight, SRTT, RTTVAR and PTO as CSV from open through handshake to close — SPEC QUIC-TRACE-1, QUIC-9', () => {
    const { trace } = traced(lineScenario({ traffic: [QUIC_REQUEST] }), 'web:0');
    const { header, rows } = csvRows(trace);
    expect(header).toBe(
      'time_ms,event,state,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,rttvar_ms,pto_ms,pto_count,retransmissions',
    );
    // Opens in the handshake with RFC 9002's initial window, no ssthresh yet and the assumed 333 ms RTT.
    expect(rows[0]).toMatchObject({
      event: 'open',
      state: 'handshake',
      cwnd_bytes: String(INITIAL_WINDOW),
      ssthresh_bytes: '',
      srtt_ms: '333.000',
      pto_ms: '999.000',
    });
    const handshake = rows.findIndex((r) => r.event === 'handshake');
    expect(handshake).toBeGreaterThan(0);
    expect(rows[handshake]?.state).toBe('established');
    expect(rows.slice(handshake).every((r) => r.state !== 'handshake')).toBe(true);
    // Slow start on a lossless path: every ACK row grows the window, nothing is lost.
    const cwnds = rows.filter((r) => r.event === 'ack').map((r) => Number(r.cwnd_bytes));
    expect(cwnds.length).toBeGreaterThan(10);
    expect(Math.max(...cwnds)).toBeGreaterThan(2 * INITIAL_WINDOW);
    // 24 ms path RTT measured (2·(1 + 10 + 1) ms plus transmission).
    expect(Number(rows.at(-1)?.srtt_ms)).toBeGreaterThan(24);
    expect(Number(rows.at(-1)?.srtt_ms)).toBeLessThan(26);
    expect(rows.at(-1)).toMatchObject({ event: 'close', state: 'closed', retransmissions: '0' });
  });

  it('a lost packet halves cwnd into ssthresh, counts a retransmission, and cwnd grows again after recovery — SPEC QUIC-TRACE-1, QUIC-8, QUIC-9', () => {
    const file = lineScenario({ traffic: [QUIC_REQUEST], dropScript: LOSE_ONE_RESPONSE_PACKET });
    const { rows } = csvRows(traced(file, 'web:0').trace);
    const at = rows.findIndex((r) => r.event === 'loss');
    expect(at).toBeGreaterThan(0);
    const before = rows[at - 1] as Record<string, string>;
    const loss = rows[at] as Record<string, string>;
    const halved = Math.round(Number(before.cwnd_bytes) / 2);
    expect(Number(loss.cwnd_bytes)).toBe(halved);
    expect(Number(loss.ssthresh_bytes)).toBe(halved);
    expect(Number(loss.flight_bytes)).toBeLessThan(Number(before.flight_bytes));
    expect(loss.retransmissions).toBe(String(Number(before.retransmissions) + 1));
    expect(rows.filter((r) => r.event === 'loss')).toHaveLength(1);
    // Congestion avoidance once the packets sent before the loss are acknowledged.
    const after = rows.slice(at + 1).map((r) => Number(r.cwnd_bytes));
    expect(Math.max(...after)).toBeGreaterThan(halved);
    expect(rows.at(-1)).toMatchObject({
      event: 'close',
      ssthresh_bytes: String(halved),
      retransmissions: '1',
    });
  });

  it('probe timeouts show as pto rows with the timeout doubling — SPEC QUIC-TRACE-1, QUIC-8', () => {
    // The server's Initial+Handshake flight (b→a packets 1–4) and its first probe are lost.
    const file = lineScenario({ traffic: [QUIC_REQUEST], dropScript: { ba: [1, 2, 3, 4, 5] } });
    const { rows } = csvRows(traced(file, 'web:0').trace);
    const ptos = rows.filter((r) => r.event === 'pto');
    expect(ptos.map((r) => r.pto_count)).toEqual(['1', '2']);
    expect(ptos.every((r) => r.state === 'handshake')).toBe(true);
    // No RTT sample yet: (333 + 4 · 166.5) ms = 999 ms, doubled per expiry.
    expect(ptos.map((r) => r.pto_ms)).toEqual(['1998.000', '3996.000']);
    expect(rows.at(-1)?.event).toBe('close');
  });

  it('traces the client end with --side client — SPEC QUIC-TRACE-1', () => {
    const { rows } = csvRows(traced(lineScenario({ traffic: [QUIC_REQUEST] }), 'web', 'client').trace);
    expect(rows[0]).toMatchObject({ event: 'open', time_ms: '0.000' });
    expect(rows.some((r) => r.event === 'handshake')).toBe(true);
    expect(rows.at(-1)?.event).toBe('close');
  });

  it('without --csv prints the samples as JSON records — SPEC QUIC-TRACE-1', () => {
    const { trace } = traced(lineScenario({ traffic: [QUIC_REQUEST] }), 'web:0');
    const out = trace.output(false);
    if ('error' in out) throw new Error(out.error);
    const samples = JSON.parse(out.text);
    expect(samples[0]).toMatchObject({ k: 'quicSample', role: 'server', flow: 0, unit: 0, event: 'open' });
    expect(samples).toHaveLength(csvRows(trace).rows.length);
  });

  it('tracing QUIC emits samples and never changes state — SPEC QUIC-TRACE-1', () => {
    const file = () => lineScenario({ traffic: [{ ...QUIC_REQUEST, stopS: 3 }], loss: 0.03 });
    const plain = new Simulation(loadScenario(file(), 'line.json'), 1);
    plain.advanceTo(8_000_000);
    const { sim, trace } = traced(file(), 'web:1', 'server', 8_000_000);
    expect(trace.quic.length).toBeGreaterThan(20);
    expect(sim.stateHash()).toBe(plain.stateHash());
  });
});

describe('--trace target errors — SPEC TCP-TRACE-1, QUIC-TRACE-1', () => {
  const file = lineScenario({
    traffic: [
      QUIC_REQUEST,
      { ...QUIC_REQUEST, id: 'mail', kind: 'tcp' },
      {
        id: 'call',
        kind: 'udp',
        from: 'h-a',
        to: 'h-b',
        startS: 0,
        intervalMs: 20,
        frameBytes: 100,
        deadlineMs: 500,
      },
    ],
  });
  const sc = loadScenario(file, 'line.json');

  it('accepts TCP and QUIC flows, request 0 by default', () => {
    expect(parseTraceTarget('web', sc, 'server')).toEqual({
      channel: 'quic',
      flowId: 'web',
      flow: 0,
      unit: 0,
      role: 'server',
    });
    expect(parseTraceTarget('mail:2', sc, 'client')).toMatchObject({ channel: 'tcp', flow: 1, unit: 2 });
  });

  it('names the traceable flows when the flow is unknown or UDP', () => {
    expect(parseTraceTarget('nope', sc, 'server')).toBe(
      '--trace: "nope" is not a flow of line; TCP and QUIC flows can be traced: web, mail',
    );
    expect(parseTraceTarget('call', sc, 'server')).toMatch(/"call" is a UDP flow of line; .* web, mail$/);
  });

  it('refuses malformed request numbers and sides', () => {
    for (const bad of ['web:', 'web:x', 'web:-1', 'web:1.5', 'web:1:2'])
      expect(parseTraceTarget(bad, sc, 'server')).toMatch(/is not a request number/);
    expect(parseTraceTarget('web', sc, 'middle')).toBe('--side must be server or client, got "middle"');
  });

  it('says which requests exist when the run never made the one asked for', () => {
    const { trace } = traced(file, 'web:3', 'server', 2_000_000);
    expect(trace.output(true)).toEqual({
      error: '--trace: flow "web" has no request 3 in this run (it started only request 0)',
    });
  });
});
