import { describe, expect, it } from 'vitest';
import { formatAddress } from '../network/address.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import { findPacketSlot, type PacketHeaders, packetHeaders } from './packetHeaders.ts';
import { packetsInFlight } from './views.ts';

const request = {
  from: 'h-a',
  to: 'h-b',
  everyMs: 200,
  requestBytes: 300,
  responseBytes: 3_000,
  timeoutMs: 5_000,
};
const TRAFFIC = [
  { id: 'call', kind: 'udp', from: 'h-a', to: 'h-b', intervalMs: 20, frameBytes: 160, deadlineMs: 150 },
  { id: 'web', kind: 'tcp', ...request },
  { id: 'h3', kind: 'quic', ...request },
];

/** The line network with a UDP, a TCP and a QUIC flow, run to `untilUs`. */
function run(untilUs: number): Simulation {
  const sim = new Simulation(loadScenario(lineScenario({ traffic: TRAFFIC }), 'headers.json'), 1);
  sim.advanceTo(untilUs);
  return sim;
}

/** Headers of every packet on a link now, found by id as the inspector finds them. */
function onTheWire(sim: Simulation): PacketHeaders[] {
  return packetsInFlight(sim).map((p) => packetHeaders(sim, findPacketSlot(sim, p.id)) as PacketHeaders);
}

describe('packet headers, read from the slot — SPEC VIEW-3', () => {
  it('VIEW-3: reads addresses, ports, TTL and each channel’s own fields without changing the state', () => {
    const sim = run(1_000_000);
    const seen = new Map<string, PacketHeaders>();
    for (let t = 1_000_000; t < 1_400_000 && seen.size < 4; t += 1_000) {
      sim.advanceTo(t);
      for (const h of onTheWire(sim)) {
        const key = h.channel === 'tcp' && h.payloadBytes > 0 ? 'tcp-data' : h.channel;
        if (!seen.has(key)) seen.set(key, h);
      }
    }
    const udp = seen.get('udp');
    expect(udp?.udp?.frame).toBe(udp?.unit);
    expect(udp?.udp?.deadlineUs).toBe((udp?.createdUs ?? 0) + 150_000);
    expect(udp?.dstPort).toBe(5004);
    expect(udp?.payloadBytes).toBe(160);
    expect(udp?.sizeBytes).toBe(160 + 28);
    for (const h of seen.values()) {
      expect(formatAddress(h.srcAddr)).toMatch(/^10\.[12]\.0\.10$/);
      expect(formatAddress(h.dstAddr)).toMatch(/^10\.[12]\.0\.10$/);
      expect(h.srcAddr).not.toBe(h.dstAddr);
      expect(h.srcPort).toBeGreaterThan(0);
      expect(h.ttl).toBeGreaterThan(60);
      expect(h.ttl).toBeLessThanOrEqual(64);
      expect(h.where?.state).toBe('wire');
      expect(h.where?.arriveUs).toBeGreaterThan(h.where?.departUs ?? Number.POSITIVE_INFINITY);
    }
    const tcp = seen.get('tcp-data');
    expect(tcp?.tcp?.seq).toBeGreaterThanOrEqual(1);
    expect(tcp?.tcp?.windowBytes).toBeGreaterThan(0);
    expect(seen.get('quic')?.quic?.pn).toBeGreaterThanOrEqual(0);
    expect(seen.get('quic')?.quic?.frames.length).toBeGreaterThan(0);
    // Reading is not a change: the run goes on exactly as it would have.
    const twin = run(1_000_000);
    for (let t = 1_000_000; t < 1_400_000 && t <= sim.nowUs; t += 1_000) twin.advanceTo(t);
    expect(twin.stateHash()).toBe(sim.stateHash());
  });

  it('VIEW-3: a packet that left the network has no slot, and a free slot no headers', () => {
    const sim = run(1_000_000);
    while (packetsInFlight(sim).length === 0) sim.advanceTo(sim.nowUs + 1_000);
    const id = packetsInFlight(sim)[0]?.id ?? -1;
    expect(findPacketSlot(sim, id)).toBeGreaterThanOrEqual(0);
    sim.advanceTo(sim.nowUs + 500_000);
    expect(findPacketSlot(sim, id)).toBe(-1);
    const free = sim.st.wire.freeSlots[0];
    expect(free).toBeDefined();
    expect(packetHeaders(sim, free ?? -1)).toBeNull();
    expect(packetHeaders(sim, -1)).toBeNull();
  });
});
