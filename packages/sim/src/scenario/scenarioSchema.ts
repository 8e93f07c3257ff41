import { z } from 'zod';
import { nodeFields, nodeId } from '../roles/nodeFields.ts';
import { ROLE_NODE_SCHEMAS, type RoleRegistry, STANDARD_ROLES } from '../roles/registry.ts';
import { ROUTES_PER_ROUTER_MAX } from '../roles/router/spec.ts';
import { debriefSchema } from './debrief.ts';

/** Limits on every scenario (SPEC SCN-3): bounded sizes keep rooms cheap and predictable. */
export const SCENARIO_LIMITS = {
  nodes: 512,
  links: 2048,
  traffic: 20_000,
  events: 1_000,
  routesPerRouter: ROUTES_PER_ROUTER_MAX,
} as const;

const id = nodeId;
const seconds = z.number().nonnegative().max(86_400);

/** A DNS name: dot-separated labels of lowercase letters, digits and dashes (RFC 1035 §2.3.1), at most 253 characters. */
export const dnsName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]{0,62})?(\.[a-z0-9]([a-z0-9-]{0,62})?)*$/, 'a DNS name such as "www.example"');
/** TTLs in seconds (RFC 2181: 0 … 2³¹−1). */
const ttlS = z.number().int().min(0).max(2_147_483_647);
/** A host's stub resolver: where it asks, how long it waits, how often it asks again (SPEC DNS-9). */
const stubSpec = z.strictObject({
  /** The node it asks: a resolver or a host with a zone, by id — or by address (an anycast resolver's shared one, SPEC ANY-1). */
  resolver: z.string(),
  timeoutMs: z.number().positive().max(60_000).default(1_000),
  retries: z.number().int().min(0).max(10).default(2),
  /** Whether the stub keeps a cache of its own (honouring TTLs); many stubs keep none. */
  cache: z.boolean().default(true),
});
/** A host's authoritative zone: its names' A records, and the SOA timers of negative answers (SPEC DNS-10). */
const zoneSpec = z.strictObject({
  names: z
    .array(
      z.strictObject({
        name: dnsName,
        /** Host ids (their addresses) or dotted addresses. */
        addrs: z.array(z.string()).min(1).max(16),
        ttlS,
      }),
    )
    .max(1_000),
  soa: z.strictObject({ minimumS: ttlS, ttlS }),
});
/** A host's own DNS role (not a player's): a stub resolver or an authoritative server. */
const hostDns = z.union([z.strictObject({ stub: stubSpec }), z.strictObject({ zone: zoneSpec })]);

/** A server's request handling (SPEC DC-2): processing time per request, requests at once, and the queue behind them. */
export const serverSpec = z.strictObject({
  processingMs: z.number().min(0).max(600_000),
  concurrency: z.number().int().min(1).max(10_000),
  queueLimit: z.number().int().min(0).max(100_000),
  /** Memory each open connection holds, KB (SPEC DC-4): keep-alive and long-lived connections cost it. */
  connMemoryKB: z.number().min(0).max(1_000_000).default(0),
  /** Memory for connections, KB: a SYN that would need more is refused with a reset; 0, no limit (SPEC DC-4). */
  memoryKB: z.number().min(0).max(1_000_000_000).default(0),
});
/** A host: an end system with one link (to its gateway) and an address; not a role, never a seat. */
const host = z.strictObject({
  ...nodeFields,
  kind: z.literal('host'),
  address: z.string(),
  dns: hostDns.optional(),
  /** The region it is in (one of `regions`; a data centre's hosts are in its region, SPEC DC-1). */
  region: id.optional(),
  /** Requests to it take processing time and queue (SPEC DC-2); without it a response goes at once. */
  server: serverSpec.optional(),
});
/** A region of the world clients and data centres are in (SPEC DC-1); `nearestDc` is where `geo` sends a region without one. */
const region = z.strictObject({
  id,
  label: z.string().max(40).default(''),
  nearestDc: id.optional(),
});
/** A data centre: servers in one region, dark together in an outage (SPEC DC-1, DC-3). */
const dataCentre = z.strictObject({
  id,
  label: z.string().max(40).default(''),
  region: id,
  hosts: z.array(id).min(1).max(64),
});
/** A GSLB service (SPEC GSLB-1): a name resolvers answer themselves, with a data centre's addresses per client region. */
const gslbService = z.strictObject({
  name: dnsName,
  ttlS,
  dcs: z
    .array(
      z.strictObject({
        dc: id,
        /** Host ids (their addresses) or dotted addresses, answered when this data centre is chosen. */
        addrs: z.array(z.string()).min(1).max(16),
      }),
    )
    .min(1)
    .max(16),
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
  /**
   * A page load (SPEC PAGE-1): each unit first looks this name up with `from`'s stub
   * resolver and connects to the answered address; `to` is the server it is meant to reach.
   */
  name: dnsName.optional(),
  /**
   * HTTP/1.1 keep-alive (SPEC KA-1): this many requests, one every `everyMs`, share one
   * connection, each sent once the previous response has arrived; 1 is a connection per
   * request. Many small ones make a long-lived chat connection.
   */
  requestsPerConnection: z.number().int().min(1).max(100_000).default(1),
  /** The requests' path, as an L7 balancer's rules read it (SPEC LB-L7-12); `/` when absent. */
  path: z.string().min(1).max(64).startsWith('/').optional(),
  /**
   * How many distinct session cookies the flow's requests carry (request u carries
   * cookie `s(u mod sessions)`, SPEC LB-L7-12); absent or 0: no cookie.
   */
  sessions: z.number().int().min(0).max(100_000).optional(),
});

const quicFlow = z.strictObject({
  ...requestFlowFields,
  kind: z.literal('quic'),
  /** 0-RTT on resumption: from the flow's second connection on, requests go with the Initial (SPEC QUIC-5). */
  zeroRtt: z.boolean().default(false),
});

/** DNS lookups from a client host's stub resolver, one name per unit, round-robin over `names` (SPEC DNS-9). */
const dnsFlow = z.strictObject({
  id,
  kind: z.literal('dns'),
  label: z.string().max(40).default(''),
  /** A host with a stub resolver (`dns.stub`). */
  from: id,
  names: z.array(dnsName).min(1).max(256),
  /** A lookup starts this often, or (Poisson) with this mean gap. */
  everyMs: z.number().min(0.01).max(600_000),
  arrival: z.enum(['periodic', 'poisson']).default('periodic'),
  startS: seconds.default(0),
  stopS: seconds.optional(),
});

const scriptEvent = z.discriminatedUnion('kind', [
  z.strictObject({ atS: seconds, kind: z.literal('linkDown'), link: id }),
  z.strictObject({ atS: seconds, kind: z.literal('linkUp'), link: id }),
  z.strictObject({ atS: seconds, kind: z.literal('linkLoss'), link: id, loss: z.number().min(0).max(1) }),
  /**
   * A role's command, as if its seat sent it (SPEC SCN-5): e.g. the ISP restarts its
   * resolver, `{ type: "resolver.flush", node: "res" }`, or an anycast re-route,
   * `{ type: "route.set", node, prefix, via }` (SPEC ANY-2). Its role checks the rest when it applies.
   */
  z.strictObject({
    atS: seconds,
    kind: z.literal('command'),
    command: z.looseObject({ type: z.string().max(40), node: id }),
  }),
  /** A data centre goes dark (`down: true`) or comes back (SPEC DC-3). */
  z.strictObject({ atS: seconds, kind: z.literal('dcOutage'), dc: id, down: z.boolean() }),
]);

const tcpOptions = z.strictObject({
  mssBytes: z.number().int().min(100).max(9_000).default(1_000),
  /** RFC 5681's initial window (4 segments at MSS 1,000) or RFC 6928's 10 segments (SPEC TCP-CC-1). */
  initialWindow: z.enum(['rfc5681', 'rfc6928']).default('rfc5681'),
  /** The receiver's buffer, advertised as the receive window (SPEC TCP-WIN-1). */
  rwndBytes: z.number().int().min(1_000).max(16_000_000).default(65_535),
  /** Delayed ACK (RFC 5681 4.2): every second in-order segment, or after delayedAckMs (SPEC TCP-ACK-2). */
  delayedAck: z.boolean().default(false),
  delayedAckMs: z.number().min(1).max(500).default(200),
  mslMs: z.number().min(1).max(120_000).default(1_000),
  maxRetries: z.number().int().min(1).max(20).default(6),
});

/** The scenario's fields but its nodes; `nodes` is the union of a host and every role's node spec. */
const scenarioFields = {
  id,
  title: z.string().min(1).max(80),
  lesson: z.number().int().min(1).max(99),
  briefing: z.string().max(2_000).default(''),
  hints: z.array(z.string().max(300)).max(20).default([]),
  /** After the round: a summary and the concept behind each failure reason (SPEC SCN-4). */
  debrief: debriefSchema.optional(),
  /** The skill of the bots in seats nobody holds, where their role has it (SPEC BOT-1); else each role's default. */
  botSkill: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a bot skill such as "novice"')
    .optional(),
  /**
   * Practice's grade (SPEC PRAC-4): the team scores a round needs for one, two and three
   * stars, rising; none, no grade.
   */
  stars: z
    .strictObject({ teamScore: z.tuple([z.number().int(), z.number().int(), z.number().int()]) })
    .refine((s) => s.teamScore[0] < s.teamScore[1] && s.teamScore[1] < s.teamScore[2], {
      message: 'three rising scores: one star < two stars < three stars',
      path: ['teamScore'],
    })
    .optional(),
  durationS: z.number().positive().max(3_600),
  /** Simulated seconds per wall-clock second at the start of a round. */
  timeScale: z.number().min(0.02).max(1).default(1),
  /** Lesson 1: how long a packet may wait for hand forwarding. */
  handTimeoutMs: z.number().positive().max(600_000).default(4_000),
  initialTtl: z.number().int().min(1).max(255).default(64),
  tcp: tcpOptions.prefault({}),
  links: z.array(link).min(1).max(SCENARIO_LIMITS.links),
  traffic: z
    .array(z.discriminatedUnion('kind', [udpFlow, tcpFlow, quicFlow, dnsFlow]))
    .max(SCENARIO_LIMITS.traffic)
    .default([]),
  events: z.array(scriptEvent).max(SCENARIO_LIMITS.events).default([]),
  /** Regions, data centres and GSLB services (SPEC DC-1, GSLB-1); none by default. */
  regions: z.array(region).max(16).default([]),
  dataCentres: z.array(dataCentre).max(16).default([]),
  gslb: z.array(gslbService).max(64).default([]),
};

/** The JSON shape of a scenario file (docs/SCENARIOS.md), with the standard roles' nodes. */
export const scenarioSchema = z.strictObject({
  ...scenarioFields,
  nodes: z
    .array(z.discriminatedUnion('kind', [host, ...ROLE_NODE_SCHEMAS]))
    .min(2)
    .max(SCENARIO_LIMITS.nodes),
});

/**
 * The scenario schema for another set of roles (tests add toy roles this way); files
 * it accepts are typed as standard ones, so only code that knows the extra roles reads them.
 */
export function scenarioSchemaFor(roles: RoleRegistry): z.ZodType<ScenarioFile, unknown> {
  if (roles === STANDARD_ROLES) return scenarioSchema;
  const [first, ...rest] = roles.roles.map((r) => r.nodeSchema as unknown as typeof host);
  return z.strictObject({
    ...scenarioFields,
    nodes: z
      .array(z.discriminatedUnion('kind', first ? [host, first, ...rest] : [host]))
      .min(2)
      .max(SCENARIO_LIMITS.nodes),
  }) as unknown as z.ZodType<ScenarioFile, unknown>;
}

/** A scenario as written in a file, after defaults. */
export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type NodeSpec = ScenarioFile['nodes'][number];
/** A role node as written in a file (any role). */
export type RoleNodeSpec = Exclude<NodeSpec, { kind: 'host' }>;
export type LinkSpec = ScenarioFile['links'][number];
export type FlowSpec = ScenarioFile['traffic'][number];
/** A DNS lookup flow. */
export type DnsFlowSpec = Extract<FlowSpec, { kind: 'dns' }>;
/** A host's DNS role as written in a file. */
export type HostDnsSpec = z.infer<typeof hostDns>;
export type StubSpec = z.infer<typeof stubSpec>;
export type ZoneSpec = z.infer<typeof zoneSpec>;
export type ScriptEventSpec = ScenarioFile['events'][number];
export type ServerSpec = z.infer<typeof serverSpec>;
export type GslbServiceSpec = ScenarioFile['gslb'][number];
