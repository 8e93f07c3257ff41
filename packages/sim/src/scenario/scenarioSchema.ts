import { z } from 'zod';

/** Limits on every scenario (SPEC SCN-3): bounded sizes keep rooms cheap and predictable. */
export const SCENARIO_LIMITS = {
  nodes: 512,
  links: 2048,
  traffic: 20_000,
  events: 1_000,
  routesPerRouter: 256,
} as const;

const id = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'an id of lowercase letters, digits and dashes');
const seconds = z.number().nonnegative().max(86_400);

const route = z.strictObject({ prefix: z.string(), via: id });

const host = z.strictObject({
  id,
  kind: z.literal('host'),
  address: z.string(),
  label: z.string().max(40).default(''),
  /** Drawing position in a 1000 × 600 design space. */
  x: z.number().min(0).max(1000),
  y: z.number().min(0).max(600),
});

const router = z.strictObject({
  id,
  kind: z.literal('router'),
  label: z.string().max(40).default(''),
  x: z.number().min(0).max(1000),
  y: z.number().min(0).max(600),
  /** A seat for a player; seats are handed out in file order. */
  seat: z.boolean().default(true),
  /** Lesson 1: packets wait at this router until its player forwards them by hand. */
  handForwarding: z.boolean().default(false),
  /** The table a player starts with. */
  routes: z.array(route).max(SCENARIO_LIMITS.routesPerRouter).default([]),
  /** The table used while no player holds the seat (the bot's policy). */
  botRoutes: z.array(route).max(SCENARIO_LIMITS.routesPerRouter).optional(),
});

const link = z.strictObject({
  id,
  a: id,
  b: id,
  latencyMs: z.number().min(0).max(10_000),
  bandwidthKbps: z.number().positive().max(100_000_000),
  queuePackets: z.number().int().min(1).max(10_000),
  /** Bernoulli loss probability per packet, both directions (shorthand for lossModel bernoulli). */
  loss: z.number().min(0).max(1).default(0),
  /** A loss model in netem's terms; overrides `loss` (SPEC LINK-5). */
  lossModel: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('bernoulli'), p: z.number().min(0).max(1) }),
      z.strictObject({
        kind: z.literal('gilbertElliott'),
        p: z.number().min(0).max(1),
        r: z.number().min(0).max(1),
        lossInBad: z.number().min(0).max(1).default(1),
        lossInGood: z.number().min(0).max(1).default(0),
      }),
      z.strictObject({ kind: z.literal('periodic'), every: z.number().int().min(1).max(1_000_000) }),
    ])
    .optional(),
  /** Which directions the loss model applies to (a→b, b→a or both). */
  lossDirection: z.enum(['both', 'ab', 'ba']).default('both'),
  /** Uniform jitter ±jitterMs on the propagation delay (SPEC LINK-6). */
  jitterMs: z.number().min(0).max(10_000).default(0),
  /** netem without a rate reorders when jitter exceeds the packet spacing; false keeps order, as netem with a rate does. */
  jitterReorders: z.boolean().default(true),
  /** Queue discipline of both interfaces (SPEC QUEUE-2..4). */
  queueDiscipline: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('fifo') }),
      z.strictObject({ kind: z.literal('priority') }),
      z.strictObject({
        kind: z.literal('red'),
        minThPackets: z.number().positive().max(10_000),
        maxThPackets: z.number().positive().max(10_000),
        maxP: z.number().gt(0).max(1).default(0.1),
        weight: z.number().gt(0).max(1).default(0.002),
      }),
    ])
    .default({ kind: 'fifo' }),
  /** Probability that a packet is sent twice (SPEC LINK-7). */
  duplicate: z.number().min(0).max(1).default(0),
  /**
   * Scripted drops for tests in the style of ns-3's tcp-state suite: the 1-based
   * numbers of the packets sent a→b (`ab`) or b→a (`ba`) that the link loses (SPEC LINK-4).
   */
  dropScript: z
    .strictObject({
      ab: z.array(z.number().int().min(1)).max(1_000).default([]),
      ba: z.array(z.number().int().min(1)).max(1_000).default([]),
    })
    .optional(),
  up: z.boolean().default(true),
});

const udpFlow = z.strictObject({
  id,
  kind: z.literal('udp'),
  label: z.string().max(40).default(''),
  from: id,
  to: id,
  startS: seconds.default(0),
  stopS: seconds.optional(),
  /** Time between frames, or its mean when arrivals are Poisson. */
  intervalMs: z.number().min(0.01).max(60_000),
  /** `poisson`: exponential gaps with mean intervalMs (SPEC TRF-4). */
  arrival: z.enum(['periodic', 'poisson']).default('periodic'),
  /** Payload bytes, or their mean when sizes are exponential (up to UDP's 65,507). */
  frameBytes: z.number().int().min(1).max(65_507),
  sizeDistribution: z.enum(['fixed', 'exponential']).default('fixed'),
  deadlineMs: z.number().positive().max(600_000),
});

/** Fields every request/response flow has, TCP or QUIC. */
const requestFlowFields = {
  id,
  label: z.string().max(40).default(''),
  from: id,
  to: id,
  startS: seconds.default(0),
  stopS: seconds.optional(),
  /** A new request (connection) starts this often. */
  everyMs: z.number().min(10).max(600_000),
  /** Bytes of the request and of the response (per stream when there are several). */
  requestBytes: z.number().int().min(1).max(1_000_000),
  responseBytes: z.number().int().min(1).max(10_000_000_000),
  timeoutMs: z.number().positive().max(86_400_000),
  /** Streams per connection: HTTP/2-like over TCP (SPEC H2-1), independent over QUIC (SPEC QUIC-6). */
  streams: z.number().int().min(1).max(64).default(1),
};

const tcpFlow = z.strictObject({
  ...requestFlowFields,
  kind: z.literal('tcp'),
  /** Who closes first: the client after the response (default), the server after sending it, or both at once. */
  closeBy: z.enum(['client', 'server', 'both']).default('client'),
  /** TLS after the TCP handshake (SPEC TLS-1..4); '1.3-0rtt' resumes from the flow's second connection on. */
  tls: z.enum(['none', '1.2', '1.3', '1.3-0rtt']).default('none'),
});

const quicFlow = z.strictObject({
  ...requestFlowFields,
  kind: z.literal('quic'),
  /** 0-RTT on resumption: from the flow's second connection on, requests go with the Initial (SPEC QUIC-5). */
  zeroRtt: z.boolean().default(false),
});

const scriptEvent = z.discriminatedUnion('kind', [
  z.strictObject({ atS: seconds, kind: z.literal('linkDown'), link: id }),
  z.strictObject({ atS: seconds, kind: z.literal('linkUp'), link: id }),
  z.strictObject({ atS: seconds, kind: z.literal('linkLoss'), link: id, loss: z.number().min(0).max(1) }),
]);

const tcpOptions = z.strictObject({
  mssBytes: z.number().int().min(100).max(9_000).default(1_000),
  /** RFC 5681's initial window (4 segments at MSS 1,000) or RFC 6928's 10 segments (SPEC TCP-CC-1). */
  initialWindow: z.enum(['rfc5681', 'rfc6928']).default('rfc5681'),
  /** The receiver's buffer, advertised as the receive window (SPEC TCP-WIN-1). */
  rwndBytes: z.number().int().min(1_000).max(16_000_000).default(65_535),
  /** Delayed ACK (RFC 5681 4.2): every second full segment, or after delayedAckMs (SPEC TCP-ACK-2). */
  delayedAck: z.boolean().default(false),
  delayedAckMs: z.number().min(1).max(500).default(200),
  mslMs: z.number().min(1).max(120_000).default(1_000),
  maxRetries: z.number().int().min(1).max(20).default(6),
});

/** The JSON shape of a scenario file (docs/SCENARIOS.md). */
export const scenarioSchema = z.strictObject({
  id,
  title: z.string().min(1).max(80),
  lesson: z.number().int().min(1).max(99),
  briefing: z.string().max(2_000).default(''),
  hints: z.array(z.string().max(300)).max(20).default([]),
  durationS: z.number().positive().max(3_600),
  /** Simulated seconds per wall-clock second at the start of a round. */
  timeScale: z.number().min(0.02).max(1).default(1),
  /** Lesson 1: how long a packet may wait for hand forwarding. */
  handTimeoutMs: z.number().positive().max(600_000).default(4_000),
  initialTtl: z.number().int().min(1).max(255).default(64),
  tcp: tcpOptions.prefault({}),
  nodes: z
    .array(z.discriminatedUnion('kind', [host, router]))
    .min(2)
    .max(SCENARIO_LIMITS.nodes),
  links: z.array(link).min(1).max(SCENARIO_LIMITS.links),
  traffic: z
    .array(z.discriminatedUnion('kind', [udpFlow, tcpFlow, quicFlow]))
    .max(SCENARIO_LIMITS.traffic)
    .default([]),
  events: z.array(scriptEvent).max(SCENARIO_LIMITS.events).default([]),
});

/** A scenario as written in a file, after defaults. */
export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type NodeSpec = ScenarioFile['nodes'][number];
/** The roles a player can hold: every node kind but `host` (roles/registry.ts). */
export type RoleName = Exclude<NodeSpec['kind'], 'host'>;
export type LinkSpec = ScenarioFile['links'][number];
export type FlowSpec = ScenarioFile['traffic'][number];
export type ScriptEventSpec = ScenarioFile['events'][number];
