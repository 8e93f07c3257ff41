import { ACK, FIN, type PacketHeaders, parseAddress, SYN } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import {
  formatHeaders,
  HEADER_LAYERS,
  type HeaderLayer,
  type HeaderSection,
  packetTitle,
  tcpFlagNames,
} from './headerFormat.ts';

const ctx = { flowLabel: (flow: number) => ['video call', 'web page', 'h3 page'][flow] ?? '?' };

/** A packet's headers as `packetHeaders` gives them; fields a test does not name are a TCP SYN's. */
function headers(fields: Partial<PacketHeaders>): PacketHeaders {
  return {
    slot: 3,
    id: 42,
    channel: 'tcp',
    srcAddr: parseAddress('10.1.0.10') ?? 0,
    srcPort: 49153,
    dstAddr: parseAddress('10.3.0.10') ?? 0,
    dstPort: 443,
    ttl: 63,
    sizeBytes: 40,
    payloadBytes: 0,
    flow: 1,
    unit: 7,
    createdUs: 1_000_000,
    path: [2],
    tcp: { flags: SYN, seq: 0, ack: 0, windowBytes: 65_535 },
    quic: null,
    dns: null,
    udp: null,
    where: { state: 'wire', link: 1, fromNode: 2, toNode: 3, departUs: 1_001_000, arriveUs: 1_011_000 },
    ...fields,
  };
}

/** The rows of one section as label → value. */
function rowsOf(sections: HeaderSection[], title: string): Record<string, string> {
  const section = sections.find((s) => s.title === title);
  expect(section, `a ${title} section`).toBeDefined();
  return Object.fromEntries((section?.rows ?? []).map((r) => [r.label, r.value]));
}

describe('packet inspector: header layers — SPEC VIEW-4', () => {
  it('VIEW-4: every packet shows its IP layer: address:port both ways, protocol, TTL, size and flow', () => {
    const sections = formatHeaders(headers({}), ctx);
    expect(sections.map((s) => s.title)).toEqual(['IP', 'TCP']);
    expect(rowsOf(sections, 'IP')).toMatchObject({
      Source: '10.1.0.10:49153',
      Destination: '10.3.0.10:443',
      Protocol: 'TCP (6)',
      TTL: '63',
      'Size on the wire': '40 B (payload 0 B)',
      Flow: 'web page',
    });
  });

  it('VIEW-4: TCP shows flags by name, relative seq and ack, window and payload', () => {
    const tcp = rowsOf(
      formatHeaders(
        headers({
          payloadBytes: 1_000,
          sizeBytes: 1_040,
          tcp: { flags: ACK, seq: 1_001, ack: 301, windowBytes: 65_535 },
        }),
        ctx,
      ),
      'TCP',
    );
    expect(tcp).toMatchObject({
      Flags: 'ACK',
      'Seq (relative)': '1001',
      'Ack (relative)': '301',
      Window: '65,535 B',
      Payload: '1,000 B',
    });
    // A SYN carries no acknowledgement.
    expect(rowsOf(formatHeaders(headers({}), ctx), 'TCP')['Ack (relative)']).toBe('—');
    expect(tcpFlagNames(SYN | ACK)).toBe('SYN, ACK');
    expect(tcpFlagNames(FIN | ACK)).toBe('FIN, ACK');
    expect(tcpFlagNames(0)).toBe('none');
    expect(packetTitle(headers({}))).toBe('TCP SYN 10.1.0.10 → 10.3.0.10');
  });

  it('VIEW-4: QUIC shows packet type and number, connection IDs and its frames', () => {
    const quic = headers({
      channel: 'quic',
      flow: 2,
      tcp: null,
      quic: {
        type: 'initial',
        dcid: 0xbeef,
        scid: 0x1234,
        pn: 5,
        frames: [
          { t: 'crypto', off: 0, len: 280 },
          { t: 'ack', ranges: [[4, 2]] },
          { t: 'stream', id: 0, off: 0, len: 300, fin: true },
          { t: 'padding', len: 900 },
        ],
      },
    });
    const sections = formatHeaders(quic, ctx);
    expect(sections.map((s) => s.title)).toEqual(['IP', 'QUIC']);
    expect(rowsOf(sections, 'IP').Protocol).toBe('QUIC over UDP (17)');
    expect(rowsOf(sections, 'QUIC')).toMatchObject({
      'Packet type': 'Initial',
      'Packet number': '5',
      'Destination CID': '0x0000beef',
      'Source CID': '0x00001234',
      Frames: 'CRYPTO 280 B, ACK 2–4, STREAM 0 @0 300 B FIN, PADDING 900 B',
    });
    // A short header has no source connection ID.
    const short = headers({
      channel: 'quic',
      tcp: null,
      quic: { type: '1rtt', dcid: 1, scid: -1, pn: 9, frames: [] },
    });
    expect(rowsOf(formatHeaders(short, ctx), 'QUIC')['Source CID']).toBeUndefined();
  });

  it('VIEW-4: a UDP frame shows its number and its deadline', () => {
    const frame = headers({
      channel: 'udp',
      flow: 0,
      unit: 12,
      dstPort: 5004,
      tcp: null,
      udp: { frame: 12, deadlineUs: 1_150_000 },
    });
    const sections = formatHeaders(frame, ctx);
    expect(sections.map((s) => s.title)).toEqual(['IP', 'UDP frame']);
    expect(rowsOf(sections, 'IP').Protocol).toBe('UDP (17)');
    expect(rowsOf(sections, 'UDP frame')).toEqual({
      Frame: '#12',
      Deadline: '150.0 ms after sending (t = 1150.0 ms)',
    });
  });

  it('VIEW-4: a DNS message shows its question, and a response its rcode and answer with its TTL (SPEC DNS-8)', () => {
    const m = {
      id: 9,
      qr: 'response',
      name: 'www.example',
      rcode: 'NOERROR',
      addrs: [parseAddress('10.3.0.10') ?? 0],
    } as const;
    const answer = headers({
      channel: 'dns',
      srcPort: 53,
      dstPort: 49161,
      tcp: null,
      dns: { ...m, addrs: [...m.addrs], ttlS: 280, fromCache: true, stale: false },
    });
    const sections = formatHeaders(answer, ctx);
    expect(sections.map((s) => s.title)).toEqual(['IP', 'DNS']);
    expect(rowsOf(sections, 'IP').Protocol).toBe('DNS over UDP (17)');
    expect(rowsOf(sections, 'DNS')).toEqual({
      Message: 'Response #9',
      Question: 'www.example A',
      Rcode: 'NOERROR',
      Answer: '10.3.0.10 (TTL 280 s)',
      From: "the resolver's cache",
    });
    expect(packetTitle(answer)).toBe('DNS response www.example 10.1.0.10 → 10.3.0.10');
  });

  it('VIEW-4: a new kind of packet is one more layer in the registry', () => {
    const dns: HeaderLayer = {
      title: 'DNS',
      applies: (h) => h.channel === 'udp' && h.dstPort === 53,
      rows: () => [{ label: 'Name', value: 'example.com' }],
    };
    const query = headers({ channel: 'udp', dstPort: 53, tcp: null });
    const sections = formatHeaders(query, ctx, [...HEADER_LAYERS, dns]);
    expect(sections.map((s) => s.title)).toEqual(['IP', 'DNS']);
  });
});
