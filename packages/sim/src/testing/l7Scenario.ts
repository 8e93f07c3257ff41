type Input = Record<string, unknown>;

/**
 * A small data centre behind an L7 balancer (SPEC LB-L7-1..16), for the balancer's tests
 * and the L7 game side's: clients c1 and c2 (10.1.0.10, 10.1.0.11; 5 ms links) reach
 * router r; the balancer lb (virtual IP 10.9.0.1) and the servers hang off r on 1 ms links
 * of 100 Mbit/s, in data centre dc. Pool `api` holds api-1 (and api-2 with `apiServers: 2`),
 * pool `web` web-1 and web-2; addresses run 10.3.0.11 … in that order, api-2 last. Rules send
 * `/api` to api and everything else to web unless `rules` says otherwise. Raw input, as a
 * file would hold it.
 */
export function l7Scenario(
  options: {
    /** `server` of every backend (SPEC DC-2). */
    server?: Input;
    lb?: Input;
    rules?: Input[];
    apiServers?: 1 | 2;
    traffic?: Input[];
    events?: Input[];
    durationS?: number;
  } = {},
): Input {
  // Kept off the map's top-right corner, where the "Inspect a packet" button sits.
  const servers = [
    { id: 'api-1', label: 'API 1', y: 100 },
    { id: 'web-1', label: 'Web 1', y: 400 },
    { id: 'web-2', label: 'Web 2', y: 560 },
    ...(options.apiServers === 2 ? [{ id: 'api-2', label: 'API 2', y: 230 }] : []),
  ];
  const link = (id: string, a: string, b: string, latencyMs: number) => ({
    id,
    a,
    b,
    latencyMs,
    bandwidthKbps: 100_000,
    queuePackets: 1_000,
  });
  const hosts = [
    { id: 'c1', kind: 'host', label: 'Client 1', address: '10.1.0.10', x: 40, y: 120 },
    { id: 'c2', kind: 'host', label: 'Client 2', address: '10.1.0.11', x: 40, y: 480 },
    ...servers.map((s, i) => ({
      id: s.id,
      kind: 'host',
      label: s.label,
      address: `10.3.0.${11 + i}`,
      region: 'here',
      x: 900,
      y: s.y,
      ...(options.server ? { server: options.server } : {}),
    })),
  ];
  const routes = [
    ...hosts.map((h) => ({ prefix: `${h.address}/32`, via: h.id })),
    { prefix: '10.9.0.1/32', via: 'lb' },
  ];
  const inPool = (pool: string) => servers.filter((s) => s.id.startsWith(pool)).map((s) => ({ host: s.id }));
  return {
    id: 'l7-example',
    title: 'A data centre behind an L7 load balancer',
    lesson: 6,
    durationS: options.durationS ?? 60,
    regions: [{ id: 'here' }],
    dataCentres: [{ id: 'dc', label: 'Data centre', region: 'here', hosts: servers.map((s) => s.id) }],
    nodes: [
      ...hosts,
      { id: 'r', kind: 'router', seat: false, x: 330, y: 300, routes },
      {
        id: 'lb',
        kind: 'l7lb',
        label: 'Balancer',
        address: '10.9.0.1',
        x: 600,
        y: 300,
        pools: [
          { name: 'api', backends: inPool('api') },
          { name: 'web', backends: inPool('web') },
        ],
        rules: options.rules ?? [
          { prefix: '/', pool: 'web' },
          { prefix: '/api', pool: 'api' },
        ],
        ...options.lb,
      },
    ],
    links: [
      link('l-c1', 'c1', 'r', 5),
      link('l-c2', 'c2', 'r', 5),
      link('l-lb', 'lb', 'r', 1),
      ...servers.map((s) => link(`l-${s.id}`, s.id, 'r', 1)),
    ],
    traffic: options.traffic ?? [],
    events: options.events ?? [],
  };
}

/** A TCP flow of requests from `from` to the balancer's virtual IP (`extra.path` picks the path). */
export function l7Requests(from: string, everyMs: number, extra: Input = {}): Input {
  return {
    id: `f-${from}`,
    kind: 'tcp',
    from,
    to: 'lb',
    everyMs,
    requestBytes: 200,
    responseBytes: 2_000,
    timeoutMs: 10_000,
    ...extra,
  };
}
