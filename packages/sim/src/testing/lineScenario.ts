type FlowInput = Record<string, unknown>;

/**
 * A small test network: h-a — r1 — r2 — h-b, 10 ms per router link, 1 ms per
 * host link. r1 and r2 route both /16s correctly unless `routes` overrides them.
 */
export function lineScenario(options: {
  traffic?: FlowInput[];
  loss?: number;
  handForwarding?: boolean;
  routes?: { r1?: { prefix: string; via: string }[]; r2?: { prefix: string; via: string }[] };
  initialTtl?: number;
  queuePackets?: number;
  /** Scripted drops on the r1—r2 link (1-based packet numbers per direction). */
  dropScript?: { ab?: number[]; ba?: number[] };
  /** More fields for the r1—r2 link (jitter, lossModel, duplicate …). */
  mid?: Record<string, unknown>;
  /** Bandwidth of the two host links (default 100 Mbit/s). */
  hostLinkKbps?: number;
}): unknown {
  const r1 = options.routes?.r1 ?? [
    { prefix: '10.1.0.0/16', via: 'h-a' },
    { prefix: '10.2.0.0/16', via: 'r2' },
  ];
  const r2 = options.routes?.r2 ?? [
    { prefix: '10.1.0.0/16', via: 'r1' },
    { prefix: '10.2.0.0/16', via: 'h-b' },
  ];
  // Raw input, as a file would hold it: the loader applies defaults and validates.
  const file: Record<string, unknown> = {
    id: 'line',
    title: 'Line',
    lesson: 1,
    durationS: 60,
    initialTtl: options.initialTtl ?? 64,
    nodes: [
      { id: 'h-a', kind: 'host', address: '10.1.0.10', label: '', x: 0, y: 0 },
      {
        id: 'r1',
        kind: 'router',
        label: '',
        x: 1,
        y: 0,
        seat: true,
        handForwarding: options.handForwarding ?? false,
        routes: r1,
      },
      { id: 'r2', kind: 'router', label: '', x: 2, y: 0, seat: true, handForwarding: false, routes: r2 },
      { id: 'h-b', kind: 'host', address: '10.2.0.10', label: '', x: 3, y: 0 },
    ],
    links: [
      {
        id: 'l-a',
        a: 'h-a',
        b: 'r1',
        latencyMs: 1,
        bandwidthKbps: options.hostLinkKbps ?? 100_000,
        queuePackets: 10_000,
      },
      {
        id: 'l-mid',
        a: 'r1',
        b: 'r2',
        latencyMs: 10,
        bandwidthKbps: 100_000,
        queuePackets: options.queuePackets ?? 100,
        loss: options.loss ?? 0,
        ...(options.dropScript ? { dropScript: options.dropScript } : {}),
        ...options.mid,
      },
      {
        id: 'l-b',
        a: 'r2',
        b: 'h-b',
        latencyMs: 1,
        bandwidthKbps: options.hostLinkKbps ?? 100_000,
        queuePackets: 10_000,
      },
    ],
    traffic: options.traffic ?? [],
  };
  return file;
}

/**
 * A burst of 20 UDP frames of 1,000 bytes on the wire from h-a to h-b at t = 1 s: on an
 * 80 kbit/s middle link each takes 100 ms to send, so most of them queue.
 */
export const BURST_20_FRAMES = {
  id: 'burst',
  kind: 'udp',
  from: 'h-a',
  to: 'h-b',
  startS: 1,
  stopS: 1.00195,
  intervalMs: 0.1,
  frameBytes: 972,
  deadlineMs: 10_000,
};

/** One UDP frame from h-a to h-b at t = 0. */
export const ONE_FRAME = {
  id: 'f',
  kind: 'udp',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  stopS: 0.001,
  intervalMs: 1000,
  frameBytes: 100,
  deadlineMs: 500,
};

/** One TCP request from h-a to h-b at t = 0. */
export const ONE_REQUEST = {
  id: 'req',
  kind: 'tcp',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  stopS: 0.001,
  everyMs: 1000,
  requestBytes: 300,
  responseBytes: 5000,
  timeoutMs: 30_000,
};

/** One bulk TCP transfer from h-b (server) to h-a (client) that outlasts any test: for throughput models. */
export const BULK_TRANSFER = {
  ...ONE_REQUEST,
  id: 'bulk',
  requestBytes: 100,
  responseBytes: 10_000_000_000,
  timeoutMs: 86_400_000,
};
