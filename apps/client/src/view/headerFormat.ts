import { ACK, type Channel, FIN, formatAddress, type PacketHeaders, RST, SYN } from '@roundtrip/sim';

/** One header field as a person reads it. */
export interface HeaderRow {
  label: string;
  value: string;
}

/** The fields of one protocol layer (IP, TCP, QUIC, UDP; DNS and HTTP later). */
export interface HeaderSection {
  title: string;
  rows: HeaderRow[];
}

/** Names a formatter needs from the scenario. */
export interface HeaderContext {
  /** A flow's label as the lesson names it (its id when it has none). */
  flowLabel(flow: number): string;
}

/**
 * A protocol layer the inspector can show: whether a packet has it, and its rows.
 * Adding a kind of packet (DNS queries and answers, HTTP requests) is one entry in
 * HEADER_LAYERS, reading the fields the simulation's `packetHeaders` gives it.
 */
export interface HeaderLayer {
  title: string;
  applies(h: PacketHeaders): boolean;
  rows(h: PacketHeaders, ctx: HeaderContext): HeaderRow[];
}

/** What the IP header's protocol field says, with its number (QUIC rides on UDP). */
const PROTOCOL: Record<Channel, string> = {
  udp: 'UDP (17)',
  tcp: 'TCP (6)',
  quic: 'QUIC over UDP (17)',
  dns: 'DNS over UDP (17)',
};

const ip: HeaderLayer = {
  title: 'IP',
  applies: () => true,
  rows: (h, ctx) => [
    { label: 'Source', value: endpoint(h.srcAddr, h.srcPort) },
    { label: 'Destination', value: endpoint(h.dstAddr, h.dstPort) },
    { label: 'Protocol', value: PROTOCOL[h.channel] },
    { label: 'TTL', value: String(h.ttl) },
    { label: 'Size on the wire', value: `${bytes(h.sizeBytes)} (payload ${bytes(h.payloadBytes)})` },
    { label: 'Flow', value: ctx.flowLabel(h.flow) },
    { label: 'Packet id', value: String(h.id) },
  ],
};

const udp: HeaderLayer = {
  title: 'UDP frame',
  applies: (h) => h.udp !== null,
  rows: (h) => [
    { label: 'Frame', value: `#${h.udp?.frame ?? h.unit}` },
    {
      label: 'Deadline',
      value: `${formatSimMs((h.udp?.deadlineUs ?? 0) - h.createdUs)} after sending (t = ${formatSimMs(h.udp?.deadlineUs ?? 0)})`,
    },
  ],
};

const tcp: HeaderLayer = {
  title: 'TCP',
  applies: (h) => h.tcp !== null,
  rows: (h) => [
    { label: 'Flags', value: tcpFlagNames(h.tcp?.flags ?? 0) },
    // The simulation's initial sequence numbers are 0, so its numbers are already relative.
    { label: 'Seq (relative)', value: String(h.tcp?.seq ?? 0) },
    { label: 'Ack (relative)', value: (h.tcp?.flags ?? 0) & ACK ? String(h.tcp?.ack ?? 0) : '—' },
    { label: 'Window', value: bytes(h.tcp?.windowBytes ?? 0) },
    { label: 'Payload', value: bytes(h.payloadBytes) },
    { label: 'Request', value: `#${h.unit}` },
  ],
};

const quic: HeaderLayer = {
  title: 'QUIC',
  applies: (h) => h.quic !== null,
  rows: (h) => {
    const q = h.quic;
    if (!q) return [];
    const rows: HeaderRow[] = [
      { label: 'Packet type', value: QUIC_TYPE[q.type] },
      { label: 'Packet number', value: String(q.pn) },
      { label: 'Destination CID', value: cid(q.dcid) },
    ];
    if (q.scid >= 0) rows.push({ label: 'Source CID', value: cid(q.scid) });
    rows.push({ label: 'Frames', value: q.frames.map(quicFrameText).join(', ') || '—' });
    rows.push({ label: 'Request', value: `#${h.unit}` });
    return rows;
  },
};

const dns: HeaderLayer = {
  title: 'DNS',
  applies: (h) => h.dns !== null,
  rows: (h) => {
    const m = h.dns;
    if (!m) return [];
    const rows: HeaderRow[] = [
      { label: 'Message', value: `${m.qr === 'query' ? 'Query' : 'Response'} #${m.id}` },
      { label: 'Question', value: `${m.name} A` },
    ];
    if (m.qr === 'query') return rows;
    rows.push({ label: 'Rcode', value: m.rcode });
    if (m.addrs.length > 0)
      rows.push({ label: 'Answer', value: `${m.addrs.map(formatAddress).join(', ')} (TTL ${m.ttlS} s)` });
    else if (m.rcode === 'NXDOMAIN')
      rows.push({ label: 'SOA timers', value: `MINIMUM ${m.soaMinimumS ?? 0} s, TTL ${m.soaTtlS ?? 0} s` });
    if (m.fromCache)
      rows.push({ label: 'From', value: m.stale ? "the resolver's cache (stale)" : "the resolver's cache" });
    return rows;
  },
};

/** Every layer the inspector knows, outermost first. */
export const HEADER_LAYERS: readonly HeaderLayer[] = [ip, udp, tcp, quic, dns];

/** The sections a packet's headers fill, outermost first. */
export function formatHeaders(
  h: PacketHeaders,
  ctx: HeaderContext,
  layers: readonly HeaderLayer[] = HEADER_LAYERS,
): HeaderSection[] {
  return layers.filter((l) => l.applies(h)).map((l) => ({ title: l.title, rows: l.rows(h, ctx) }));
}

/** A packet's one-line name: "TCP SYN, ACK 10.1.0.10 → 10.2.0.10". */
export function packetTitle(h: PacketHeaders): string {
  const what =
    h.channel === 'tcp'
      ? `TCP ${tcpFlagNames(h.tcp?.flags ?? 0)}`
      : h.channel === 'quic'
        ? `QUIC ${QUIC_TYPE[h.quic?.type ?? '1rtt']}`
        : h.channel === 'dns'
          ? `DNS ${h.dns?.qr ?? 'query'} ${h.dns?.name ?? ''}`
          : 'UDP';
  return `${what} ${formatAddress(h.srcAddr)} → ${formatAddress(h.dstAddr)}`;
}

/** TCP flags by name, in the order a capture tool lists them; "none" for a bare segment. */
export function tcpFlagNames(flags: number): string {
  const names = (
    [
      [SYN, 'SYN'],
      [FIN, 'FIN'],
      [RST, 'RST'],
      [ACK, 'ACK'],
    ] as const
  )
    .filter(([bit]) => flags & bit)
    .map(([, name]) => name);
  return names.length > 0 ? names.join(', ') : 'none';
}

const QUIC_TYPE: Record<NonNullable<PacketHeaders['quic']>['type'], string> = {
  initial: 'Initial',
  handshake: 'Handshake',
  '0rtt': '0-RTT',
  '1rtt': '1-RTT (short header)',
};

type QuicFrame = NonNullable<PacketHeaders['quic']>['frames'][number];

function quicFrameText(f: QuicFrame): string {
  switch (f.t) {
    case 'crypto':
      return `CRYPTO ${bytes(f.len)}`;
    case 'stream':
      return `STREAM ${f.id} @${f.off} ${bytes(f.len)}${f.fin ? ' FIN' : ''}`;
    case 'ack':
      return `ACK ${f.ranges.map(([hi, lo]) => (hi === lo ? `${hi}` : `${lo}–${hi}`)).join(' ')}`;
    case 'padding':
      return `PADDING ${bytes(f.len)}`;
    case 'ping':
      return 'PING';
    case 'close':
      return 'CONNECTION_CLOSE';
  }
}

function endpoint(addr: number, port: number): string {
  return `${formatAddress(addr)}:${port}`;
}

function cid(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} B`;
}

/** Simulated µs as milliseconds, to 0.1 ms. */
export function formatSimMs(us: number): string {
  return `${(us / 1000).toFixed(1)} ms`;
}
