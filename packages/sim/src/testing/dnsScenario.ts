type Input = Record<string, unknown>;

/**
 * A small DNS network for the reference checks (SPEC DNS-8..16): two clients with stub
 * resolvers (c1, c2), a recursive resolver (res), an authoritative server (auth) and a
 * web host, each on one link to the router r. The zone holds `www.example` (→ web, TTL
 * `ttlS`) and `zero.example` (TTL 0); other names are NXDOMAIN with the SOA's timers.
 * Raw input, as a file would hold it: the loader applies defaults and validates.
 */
export function dnsScenario(options: {
  traffic?: Input[];
  events?: Input[];
  /** One-way latency of the client links, the resolver's link and the authority's link, ms. */
  clientMs?: number;
  resolverMs?: number;
  authorityMs?: number;
  bandwidthKbps?: number;
  ttlS?: number;
  soa?: { minimumS: number; ttlS: number };
  stub?: Input;
  resolver?: Input;
  /** More fields for the client c1's link (dropScript …). */
  clientLink?: Input;
}): unknown {
  const bw = options.bandwidthKbps ?? 10_000;
  const link = (id: string, a: string, latencyMs: number, more: Input = {}) => ({
    id,
    a,
    b: 'r',
    latencyMs,
    bandwidthKbps: bw,
    queuePackets: 1_000,
    ...more,
  });
  const stub = { resolver: 'res', timeoutMs: 1_000, retries: 2, ...options.stub };
  return {
    id: 'dns-line',
    title: 'DNS reference network',
    lesson: 3,
    durationS: 60,
    nodes: [
      { id: 'c1', kind: 'host', address: '10.1.0.10', x: 60, y: 150, dns: { stub } },
      { id: 'c2', kind: 'host', address: '10.1.0.11', x: 60, y: 450, dns: { stub } },
      {
        id: 'r',
        kind: 'router',
        x: 400,
        y: 300,
        seat: false,
        routes: [
          { prefix: '10.1.0.10/32', via: 'c1' },
          { prefix: '10.1.0.11/32', via: 'c2' },
          { prefix: '10.9.0.0/16', via: 'res' },
          { prefix: '10.8.0.0/16', via: 'auth' },
          { prefix: '10.3.0.0/16', via: 'web' },
        ],
      },
      {
        id: 'res',
        kind: 'resolver',
        address: '10.9.0.53',
        upstream: 'auth',
        x: 700,
        y: 100,
        ...options.resolver,
      },
      {
        id: 'auth',
        kind: 'host',
        address: '10.8.0.53',
        x: 900,
        y: 300,
        dns: {
          zone: {
            names: [
              { name: 'www.example', addrs: ['web'], ttlS: options.ttlS ?? 300 },
              { name: 'zero.example', addrs: ['10.3.0.11'], ttlS: 0 },
            ],
            soa: options.soa ?? { minimumS: 5, ttlS: 60 },
          },
        },
      },
      { id: 'web', kind: 'host', address: '10.3.0.10', x: 700, y: 500 },
    ],
    links: [
      link('l-c1', 'c1', options.clientMs ?? 5, options.clientLink),
      link('l-c2', 'c2', options.clientMs ?? 5),
      link('l-res', 'res', options.resolverMs ?? 2),
      link('l-auth', 'auth', options.authorityMs ?? 20),
      link('l-web', 'web', 1),
    ],
    traffic: options.traffic ?? [],
    events: options.events ?? [],
  };
}

/** A DNS flow from `from` (default c1) looking `names` up every `everyMs`. */
export function lookups(names: string[], everyMs: number, more: Input = {}): Input {
  return { id: `dns-${String(more.from ?? 'c1')}`, kind: 'dns', from: 'c1', names, everyMs, ...more };
}

/**
 * A page-load flow (SPEC PAGE-1): from `from` (default c1) to web, a TCP request with
 * TLS 1.3 every `everyMs`, looking `name` up first.
 */
export function pageLoads(name: string, everyMs: number, more: Input = {}): Input {
  return {
    id: `page-${String(more.from ?? 'c1')}`,
    kind: 'tcp',
    from: 'c1',
    to: 'web',
    name,
    tls: '1.3',
    everyMs,
    requestBytes: 300,
    responseBytes: 5_000,
    timeoutMs: 5_000,
    ...more,
  };
}
