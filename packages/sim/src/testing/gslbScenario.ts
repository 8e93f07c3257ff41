type Input = Record<string, unknown>;

/**
 * A small network with regions, two data centres, a GSLB service and anycast resolvers
 * (SPEC DC-1..3, GSLB-1..9, ANY-1..3), for the reference checks and lesson 5. Three
 * regions — west, east and south (no data centre; nearest: dc-west) — each with a
 * client (cw, ce, cs: stubs asking the anycast address 10.53.0.53) behind a router (rw,
 * re, rs). dc-west holds web-w on rw, dc-east web-e on re. Two resolver instances share
 * 10.53.0.53: res-w on rw (south's routes lead there too) and res-e on re, each with an
 * address of its own for upstream queries and probes. The authority (auth, on re) holds
 * `static.example` (→ web-w, TTL 300); `www.example` is the GSLB service (TTL `ttlS`).
 * Propagation: rw–re 30 ms, rs–rw 10 ms, rs–re 25 ms, client links 2 ms, server and
 * resolver links 1 ms, auth 5 ms. Raw input, as a file would hold it.
 */
export function gslbScenario(
  options: {
    traffic?: Input[];
    events?: Input[];
    ttlS?: number;
    /** Answer policies of both resolvers (their `answers`). */
    answers?: Input[];
    resolver?: Input;
    /** `server` of both web hosts (SPEC DC-2). */
    server?: Input;
    stub?: Input;
  } = {},
): Input {
  const link = (id: string, a: string, b: string, latencyMs: number) => ({
    id,
    a,
    b,
    latencyMs,
    bandwidthKbps: 100_000,
    queuePackets: 1_000,
  });
  const stub = { resolver: '10.53.0.53', timeoutMs: 1_000, retries: 2, ...options.stub };
  const route = (prefix: string, via: string) => ({ prefix, via });
  const server = options.server ? { server: options.server } : {};
  const resolver = (id: string, unicast: string, x: number, y: number) => ({
    id,
    kind: 'resolver',
    address: '10.53.0.53',
    anycast: true,
    unicastAddress: unicast,
    upstream: 'auth',
    x,
    y,
    answers: options.answers ?? [],
    healthCheck: { intervalMs: 1_000, misses: 3, timeoutMs: 500 },
    ...options.resolver,
  });
  return {
    id: 'gslb-example',
    title: 'Regions, data centres, GSLB and anycast resolvers',
    lesson: 5,
    durationS: 60,
    regions: [
      { id: 'west', label: 'West' },
      { id: 'east', label: 'East' },
      { id: 'south', label: 'South', nearestDc: 'dc-west' },
    ],
    dataCentres: [
      { id: 'dc-west', label: 'DC West', region: 'west', hosts: ['web-w'] },
      { id: 'dc-east', label: 'DC East', region: 'east', hosts: ['web-e'] },
    ],
    gslb: [
      {
        name: 'www.example',
        ttlS: options.ttlS ?? 30,
        dcs: [
          { dc: 'dc-west', addrs: ['web-w'] },
          { dc: 'dc-east', addrs: ['web-e'] },
        ],
      },
    ],
    nodes: [
      { id: 'cw', kind: 'host', address: '10.1.0.10', region: 'west', x: 60, y: 100, dns: { stub } },
      { id: 'ce', kind: 'host', address: '10.2.0.10', region: 'east', x: 940, y: 100, dns: { stub } },
      { id: 'cs', kind: 'host', address: '10.5.0.10', region: 'south', x: 500, y: 560, dns: { stub } },
      {
        id: 'rw',
        kind: 'router',
        x: 250,
        y: 250,
        seat: false,
        routes: [
          route('10.1.0.10/32', 'cw'),
          route('10.10.0.0/16', 'web-w'),
          route('10.53.0.53/32', 'res-w'),
          route('10.53.1.1/32', 'res-w'),
          route('10.5.0.0/16', 'rs'),
          route('10.2.0.0/16', 're'),
          route('10.20.0.0/16', 're'),
          route('10.8.0.0/16', 're'),
          route('10.53.2.1/32', 're'),
        ],
      },
      {
        id: 're',
        kind: 'router',
        x: 750,
        y: 250,
        seat: false,
        routes: [
          route('10.2.0.10/32', 'ce'),
          route('10.20.0.0/16', 'web-e'),
          route('10.53.0.53/32', 'res-e'),
          route('10.53.2.1/32', 'res-e'),
          route('10.8.0.0/16', 'auth'),
          route('10.5.0.0/16', 'rs'),
          route('10.1.0.0/16', 'rw'),
          route('10.10.0.0/16', 'rw'),
          route('10.53.1.1/32', 'rw'),
        ],
      },
      {
        id: 'rs',
        kind: 'router',
        x: 500,
        y: 420,
        seat: false,
        routes: [
          route('10.5.0.10/32', 'cs'),
          route('10.53.0.53/32', 'rw'),
          route('10.1.0.0/16', 'rw'),
          route('10.10.0.0/16', 'rw'),
          route('10.53.1.1/32', 'rw'),
          route('10.2.0.0/16', 're'),
          route('10.20.0.0/16', 're'),
          route('10.8.0.0/16', 're'),
          route('10.53.2.1/32', 're'),
        ],
      },
      { id: 'web-w', kind: 'host', address: '10.10.0.10', x: 150, y: 400, ...server },
      { id: 'web-e', kind: 'host', address: '10.20.0.10', x: 850, y: 400, ...server },
      resolver('res-w', '10.53.1.1', 250, 80),
      resolver('res-e', '10.53.2.1', 750, 80),
      {
        id: 'auth',
        kind: 'host',
        address: '10.8.0.53',
        x: 940,
        y: 300,
        dns: {
          zone: {
            names: [{ name: 'static.example', addrs: ['web-w'], ttlS: 300 }],
            soa: { minimumS: 5, ttlS: 60 },
          },
        },
      },
    ],
    links: [
      link('l-cw', 'cw', 'rw', 2),
      link('l-ce', 'ce', 're', 2),
      link('l-cs', 'cs', 'rs', 2),
      link('l-rw-re', 'rw', 're', 30),
      link('l-rs-rw', 'rs', 'rw', 10),
      link('l-rs-re', 'rs', 're', 25),
      link('l-web-w', 'web-w', 'rw', 1),
      link('l-web-e', 'web-e', 're', 1),
      link('l-res-w', 'res-w', 'rw', 1),
      link('l-res-e', 'res-e', 're', 1),
      link('l-auth', 'auth', 're', 5),
    ],
    traffic: options.traffic ?? [],
    events: options.events ?? [],
  };
}

/** Page loads of `name` from client `from` every `everyMs` (TLS 1.3; `to` the server of its own region). */
export function gslbPageLoads(from: string, everyMs: number, more: Input = {}): Input {
  return {
    id: `page-${from}`,
    kind: 'tcp',
    from,
    to: from === 'ce' ? 'web-e' : 'web-w',
    name: 'www.example',
    tls: '1.3',
    everyMs,
    requestBytes: 300,
    responseBytes: 5_000,
    timeoutMs: 3_000,
    ...more,
  };
}

/** DNS lookups of `www.example` from client `from` every `everyMs`. */
export function gslbLookups(from: string, everyMs: number, more: Input = {}): Input {
  return { id: `dns-${from}`, kind: 'dns', from, names: ['www.example'], everyMs, ...more };
}
