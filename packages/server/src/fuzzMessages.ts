/**
 * Client messages as a hostile or buggy client might send them, for property-based
 * fuzzing with fast-check (SPEC MSG-7): every registered type (and unknown ones, and
 * types that are not text) with payloads that are near-valid — the message's own
 * fields with values drawn from the scenario's ids, boundary numbers and junk — or
 * arbitrary JSON. Used by the unit property, the server property and `pnpm fuzz`.
 */
import { CLIENT_MESSAGES, type ClientMessageDefinition, isRoleMessage } from '@roundtrip/protocol';
import { LB_ALGORITHMS } from '@roundtrip/sim';
import fc from 'fast-check';

/** One generated message: its type (not always text) and payload (not always an object). */
export interface FuzzMessage {
  type: unknown;
  payload: unknown;
}

/** Ids of the scenario the fuzz runs against, so some messages name real nodes and links. */
export interface FuzzPools {
  nodes: readonly string[];
  links: readonly string[];
  /** Prefixes the scenario routes (valid ones, so route commands get through). */
  prefixes: readonly string[];
  /** Path prefixes of its L7 balancers' rules, and their pools' names. */
  paths: readonly string[];
  poolNames: readonly string[];
  /** Hosts its balancers' pools hold, so backend commands name real backends often. */
  backends: readonly string[];
  /** The roles its seats hold: messages of other roles are not drawn (they would all be refused as forbidden). */
  roles: readonly string[];
}

/** The messages a fuzz of this scenario draws: the room's own, and those of the roles it seats. */
export function fuzzedMessages(pools: FuzzPools): ClientMessageDefinition[] {
  return CLIENT_MESSAGES.filter((m) => !isRoleMessage(m) || pools.roles.includes(m.sender.role));
}

/** The field names of each registered message (its strict object schema's keys). */
const FIELDS: Record<string, string[]> = Object.fromEntries(
  CLIENT_MESSAGES.map((m) => [m.type, Object.keys((m.schema as { shape?: object }).shape ?? {})]),
);

const numberish = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.constantFrom(0, 1, 255, 256, 3600, 86_400, Number.MAX_SAFE_INTEGER, -0, 1e308),
  fc.double(),
);

const octet = fc.integer({ min: 0, max: 300 });

/** A prefix: one the scenario routes, or any dotted text with a length. */
function prefixValue(pools: FuzzPools): fc.Arbitrary<string> {
  const any = fc
    .tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 40 }))
    .map(([a, b, c, d, len]) => `${a}.${b}.${c}.${d}/${len}`);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...pools.prefixes), weight: 3 },
    { arbitrary: any, weight: 1 },
  );
}

/** A path prefix: one the scenario's rules hold, a new one, or one the rules refuse. */
function pathValue(pools: FuzzPools): fc.Arbitrary<string> {
  const made = fc.oneof(
    fc.stringMatching(/^\/[a-z]{0,8}$/),
    fc.constantFrom('', 'api', '/a b', '/?q', `/${'x'.repeat(64)}`),
  );
  return pools.paths.length > 0
    ? fc.oneof({ arbitrary: fc.constantFrom(...pools.paths), weight: 3 }, { arbitrary: made, weight: 2 })
    : made;
}

/** One of the values, or `fallback` when there are none. */
function oneOf<T>(values: readonly T[], fallback: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return values.length > 0 ? fc.constantFrom(...values) : fallback;
}

/** A value for the field `name` of message `type`: mostly of the field's kind, sometimes junk. */
function typedValue(type: string, name: string, pools: FuzzPools): fc.Arbitrary<unknown> {
  const kinds: Record<string, fc.Arbitrary<unknown>> = {
    prefix: type.startsWith('l7lb.') ? pathValue(pools) : prefixValue(pools),
    pool: oneOf([...pools.poolNames, 'nowhere'], fc.string()),
    backend:
      pools.backends.length > 0
        ? fc.oneof(
            { arbitrary: fc.constantFrom(...pools.backends), weight: 3 },
            { arbitrary: fc.constantFrom(...pools.nodes), weight: 1 },
          )
        : fc.constantFrom(...pools.nodes),
    algorithm: fc.constantFrom(...LB_ALGORITHMS, 'random'),
    state: fc.constantFrom('up', 'drain', 'down', 'off'),
    size: fc.integer({ min: -2, max: 70 }),
    weight: fc.integer({ min: -2, max: 110 }),
    on: fc.boolean(),
    via: fc.constantFrom(...pools.nodes),
    link: fc.constantFrom(...pools.links),
    copy: fc.integer({ min: 0, max: 3 }),
    scale: fc.oneof(fc.constantFrom(0.02, 0.1, 0.5, 1), fc.double({ min: 0, max: 2, noNaN: true })),
    packetId: fc.integer({ min: 1, max: 400 }),
    up: fc.boolean(),
    enabled: fc.boolean(),
    serveStale: fc.boolean(),
    prefetch: fc.boolean(),
    minTtlS: fc.integer({ min: 0, max: 600 }),
    maxTtlS: fc.integer({ min: 0, max: 86_400 }),
    skill: fc.constantFrom('novice', 'competent', 'expert', 'wizard', null),
    team: fc.integer({ min: -1, max: 9 }),
  };
  const kind = kinds[name];
  return kind === undefined
    ? fieldValue(pools)
    : fc.oneof({ arbitrary: kind, weight: 4 }, { arbitrary: fieldValue(pools), weight: 1 });
}

/** A value for any field: plausible for some field, or junk. */
function fieldValue(pools: FuzzPools): fc.Arbitrary<unknown> {
  const id = fc.constantFrom(...pools.nodes, ...pools.links);
  const prefix = prefixValue(pools);
  const discipline = fc.oneof(
    fc.constantFrom({ kind: 'fifo' }, { kind: 'priority' }, { kind: 'wfq' }),
    fc.record({
      kind: fc.constant('red'),
      minThPackets: numberish,
      maxThPackets: numberish,
      maxP: fc.double({ min: -1, max: 2 }),
      weight: fc.double({ min: -1, max: 2 }),
    }),
  );
  return fc.oneof(
    { arbitrary: id, weight: 4 },
    { arbitrary: prefix, weight: 3 },
    { arbitrary: numberish, weight: 3 },
    { arbitrary: fc.boolean(), weight: 2 },
    { arbitrary: discipline, weight: 2 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
    { arbitrary: fc.constantFrom(null, [], {}), weight: 1 },
  );
}

/** Messages to fuzz a room with, drawing ids from `pools`. */
export function fuzzMessage(pools: FuzzPools): fc.Arbitrary<FuzzMessage> {
  const known = fc.constantFrom(...fuzzedMessages(pools).map((m) => m.type));
  const nearValid = known.chain((type) =>
    fc
      .record({
        fields: fc.dictionary(fc.constantFrom(...(FIELDS[type] ?? []), 'extra'), fieldValue(pools), {
          maxKeys: (FIELDS[type]?.length ?? 0) + 1,
        }),
        full: fc.record(Object.fromEntries((FIELDS[type] ?? []).map((k) => [k, typedValue(type, k, pools)]))),
        whole: fc.boolean(),
      })
      .map(({ fields, full, whole }) => ({ type, payload: whole ? full : fields })),
  );
  const junk = fc.record({
    type: fc.oneof(known, fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)),
    payload: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)),
  });
  return fc.oneof({ arbitrary: nearValid, weight: 5 }, { arbitrary: junk, weight: 1 });
}

/** The ids of a scenario file (its JSON as read): nodes, links, prefixes, paths, pools and the roles it seats. */
export function poolsOf(raw: unknown): FuzzPools {
  const file = raw as {
    nodes: {
      id: string;
      kind: string;
      seat?: boolean;
      pools?: { name: string; backends?: { host: string }[] }[];
    }[];
    links: { id: string }[];
  };
  const prefixes = new Set<string>();
  const paths = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === 'prefix' && typeof x === 'string') (x.startsWith('/') ? paths : prefixes).add(x);
        else walk(x);
      }
  };
  walk(raw);
  return {
    nodes: file.nodes.map((n) => n.id),
    links: file.links.map((l) => l.id),
    prefixes: [...prefixes],
    paths: [...paths],
    poolNames: [...new Set(file.nodes.flatMap((n) => (n.pools ?? []).map((p) => p.name)))],
    backends: [
      ...new Set(
        file.nodes.flatMap((n) => (n.pools ?? []).flatMap((p) => (p.backends ?? []).map((b) => b.host))),
      ),
    ],
    roles: [...new Set(file.nodes.filter((n) => n.kind !== 'host' && n.seat !== false).map((n) => n.kind))],
  };
}
