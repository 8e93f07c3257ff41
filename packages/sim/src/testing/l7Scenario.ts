type Input = Record<string, unknown>;

/**
 * A small data centre behind an L7 balancer (SPEC LB-L7-1..16), for the balancer's
 * tests: clients c1 and c2 (10.1.0.10, 10.1.0.11; 5 ms links) reach router r; the
 * balancer lb (virtual IP 10.9.0.1) and the servers api-1, web-1, web-2 (10.3.0.11 …,
 * in data centre dc) hang off r on 1 ms links of 100 Mbit/s. Pool `api` holds api-1,
 * pool `web` web-1 and web-2; rules send `/api` to api and everything else to web.
 * Raw input, as a file would hold it.
 */
export function l7Scenario(
  options: {
    /** `server` of every backend (SPEC DC-2). */
    server?: Input;
    lb?: Input;
    traffic?: Input[];
    events?: Input[];
    durationS?: number;
  } = {},
): Input {
  const servers = ['api-1', 'web-1', 'web-2'];
  const link = (id: string, a: string, b: string, latencyMs: number) => ({
    id,
    a,
    b,
    latencyMs,
    bandwidthKbps: 100_000,
    queuePackets: 1_000,
  });
  const hosts = [
    { id: 'c1', kind: 'host', address: '10.1.0.10', x: 50, y: 100 },
    { id: 'c2', kind: 'host', address: '10.1.0.11', x: 50, y: 400 },
    ...servers.map((id, i) => ({
      id,
      kind: 'host',
      address: `10.3.0.${11 + i}`,
      region: 'here',
      x: 900,
      y: 60 + i * 60,
      ...(options.server ? { server: options.server } : {}),
    })),
  ];
  const routes = [
    ...hosts.map((h) => ({ prefix: `${h.address}/32`, via: h.id })),
    { prefix: '10.9.0.1/32', via: 'lb' },
  ];
  return {
    id: 'l7-example',
    title: 'A data centre behind an L7 load balancer',
    lesson: 6,
    durationS: options.durationS ?? 60,
    regions: [{ id: 'here' }],
    dataCentres: [{ id: 'dc', label: 'Data centre', region: 'here', hosts: servers }],
    nodes: [
      ...hosts,
      { id: 'r', kind: 'router', seat: false, x: 500, y: 250, routes },
      {
        id: 'lb',
        kind: 'l7lb',
        label: 'Balancer',
        address: '10.9.0.1',
        x: 700,
        y: 250,
        pools: [
          { name: 'api', backends: [{ host: 'api-1' }] },
          { name: 'web', backends: [{ host: 'web-1' }, { host: 'web-2' }] },
        ],
        rules: [
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
      ...servers.map((id) => link(`l-${id}`, id, 'r', 1)),
    ],
    traffic: options.traffic ?? [],
    events: options.events ?? [],
  };
}

/** A TCP flow of requests from `from` to the balancer's virtual IP. */
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
