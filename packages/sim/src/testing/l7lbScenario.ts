type Input = Record<string, unknown>;

/**
 * A small data centre behind an L7 balancer (SPEC LB-L7-1..12), for the L7 game side's
 * tests: clients c1 and c2 (10.1.0.10, 10.1.0.11; 5 ms links) reach router r; the
 * balancer lb7 (virtual IP 10.9.0.7) and four servers hang off r on 1 ms links — pool
 * `api` (api-1, api-2) and pool `web` (web-1, web-2), in data centre dc. Its rules send
 * every path to `web` unless `rules` says otherwise. Raw input, as a file would hold it.
 */
export function l7lbScenario(
  options: {
    server?: Input;
    lb?: Input;
    rules?: Input[];
    traffic?: Input[];
    events?: Input[];
    durationS?: number;
  } = {},
): Input {
  const servers = [
    // Kept off the map's top corner, where the "Inspect a packet" button sits.
    { id: 'api-1', label: 'API 1', y: 100 },
    { id: 'api-2', label: 'API 2', y: 230 },
    { id: 'web-1', label: 'Web 1', y: 400 },
    { id: 'web-2', label: 'Web 2', y: 560 },
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
    { prefix: '10.9.0.7/32', via: 'lb7' },
  ];
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
        id: 'lb7',
        kind: 'l7lb',
        label: 'Balancer',
        address: '10.9.0.7',
        x: 600,
        y: 300,
        pools: [
          { name: 'api', backends: [{ host: 'api-1' }, { host: 'api-2' }] },
          { name: 'web', backends: [{ host: 'web-1' }, { host: 'web-2' }] },
        ],
        rules: options.rules ?? [{ prefix: '/', pool: 'web' }],
        ...options.lb,
      },
    ],
    links: [
      link('l-c1', 'c1', 'r', 5),
      link('l-c2', 'c2', 'r', 5),
      link('l-lb7', 'lb7', 'r', 1),
      ...servers.map((s) => link(`l-${s.id}`, s.id, 'r', 1)),
    ],
    traffic: options.traffic ?? [],
    events: options.events ?? [],
  };
}

/** A TCP flow of requests for `path` to the L7 balancer's virtual IP. */
export function l7Requests(from: string, path: string, everyMs: number, extra: Input = {}): Input {
  return {
    id: `f-${from}-${path.replace(/[^a-z0-9]/g, '') || 'root'}`,
    kind: 'tcp',
    from,
    to: 'lb7',
    path,
    everyMs,
    requestBytes: 200,
    responseBytes: 2_000,
    timeoutMs: 10_000,
    ...extra,
  };
}
