type Input = Record<string, unknown>;

/**
 * A small data centre behind an L4 balancer (SPEC LB-L4-1..5), for the balancer's tests
 * and lesson 6: clients c1 and c2 (10.1.0.10, 10.1.0.11; 5 ms links) reach router r;
 * the balancer lb (virtual IP 10.9.0.1) and `backends` servers web-1 … (10.3.0.11 …,
 * in data centre dc) hang off r on 1 ms links. Links are 100 Mbit/s unless
 * `backendLinkKbps` slows the servers'. Raw input, as a file would hold it.
 */
export function lbScenario(
  options: {
    backends?: number;
    /** `server` of every backend, or one per backend (SPEC DC-2, LB-POOL-1). */
    server?: Input | Input[];
    lb?: Input;
    traffic?: Input[];
    events?: Input[];
    backendLinkKbps?: number;
    durationS?: number;
  } = {},
): Input {
  const n = options.backends ?? 3;
  const webs = Array.from({ length: n }, (_, i) => `web-${i + 1}`);
  const link = (id: string, a: string, b: string, latencyMs: number, kbps = 100_000) => ({
    id,
    a,
    b,
    latencyMs,
    bandwidthKbps: kbps,
    queuePackets: 1_000,
  });
  const serverOf = (i: number) => {
    const s = Array.isArray(options.server) ? options.server[i] : options.server;
    return s ? { server: s } : {};
  };
  const hosts = [
    { id: 'c1', kind: 'host', address: '10.1.0.10', x: 50, y: 100 },
    { id: 'c2', kind: 'host', address: '10.1.0.11', x: 50, y: 400 },
    ...webs.map((id, i) => ({
      id,
      kind: 'host',
      label: `Web ${i + 1}`,
      address: `10.3.0.${11 + i}`,
      x: 900,
      y: 60 + i * 60,
      ...serverOf(i),
    })),
  ];
  const routes = [
    ...hosts.map((h) => ({ prefix: `${h.address}/32`, via: h.id })),
    { prefix: '10.9.0.1/32', via: 'lb' },
  ];
  return {
    id: 'lb-example',
    title: 'A data centre behind an L4 load balancer',
    lesson: 6,
    durationS: options.durationS ?? 60,
    regions: [{ id: 'here' }],
    dataCentres: [{ id: 'dc', label: 'Data centre', region: 'here', hosts: webs }],
    nodes: [
      ...hosts.map((h) => (h.id.startsWith('web') ? { ...h, region: 'here' } : h)),
      { id: 'r', kind: 'router', seat: false, x: 500, y: 250, routes },
      {
        id: 'lb',
        kind: 'l4lb',
        label: 'Balancer',
        address: '10.9.0.1',
        x: 700,
        y: 250,
        backends: webs.map((host) => ({ host })),
        ...options.lb,
      },
    ],
    links: [
      link('l-c1', 'c1', 'r', 5),
      link('l-c2', 'c2', 'r', 5),
      link('l-lb', 'lb', 'r', 1),
      ...webs.map((id) => link(`l-${id}`, id, 'r', 1, options.backendLinkKbps)),
    ],
    traffic: options.traffic ?? [],
    events: options.events ?? [],
  };
}

/** A TCP flow of requests to the balancer's virtual IP. */
export function lbRequests(from: string, everyMs: number, extra: Input = {}): Input {
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
