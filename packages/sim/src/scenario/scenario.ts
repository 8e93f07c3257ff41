import type { z } from 'zod';
import { stubOf, stubResolverOf } from '../application/dns/stubResolver.ts';
import { type FlowTable, flowTable } from '../application/flowTable.ts';
import { msToUs } from '../engine/units.ts';
import { parseAddress } from '../network/address.ts';
import { type RoleName, type RoleRegistry, STANDARD_ROLES } from '../roles/registry.ts';
import { type RegionTables, regionTables } from './regions.ts';
import {
  type FlowSpec,
  type HostDnsSpec,
  type LinkSpec,
  type NodeSpec,
  type ScenarioFile,
  scenarioSchemaFor,
} from './scenarioSchema.ts';

/** A scenario failed validation; `problems` each name the file, the field and what was expected. */
export class ScenarioError extends Error {
  readonly problems: string[];
  constructor(fileName: string, problems: string[]) {
    super(`${fileName} is not a valid scenario:\n  ${problems.join('\n  ')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

/** One way out of a node: link index, direction on that link (0 = a→b, 1 = b→a) and the neighbour. */
export interface Port {
  link: number;
  dir: 0 | 1;
  peer: number;
}

/** A validated scenario with its ids resolved to indices. Immutable once built. */
export interface Scenario {
  file: ScenarioFile;
  fileName: string;
  nodeIds: string[];
  nodeIndex: ReadonlyMap<string, number>;
  linkIndex: ReadonlyMap<string, number>;
  /** Per node: its IPv4 address (nodes with one: hosts, resolvers) or -1 (routers). */
  hostAddr: number[];
  /** Per node: its ports, in link file order. */
  ports: Port[][];
  /** Node indices of link ends: [2·link] = a, [2·link + 1] = b; direction 0 goes a → b. */
  linkEnds: Int32Array;
  /** Per node with an address: its only interface out, as link × 2 + direction (−1 for routers). */
  hostOut: Int32Array;
  /** Node indices of flow ends: [2·flow] = from, [2·flow + 1] = to (a DNS flow's: its stub's resolver). */
  flowEnds: Int32Array;
  /** Per flow, what sending a unit needs, in typed arrays (no flow object touched per frame). */
  flowTable: FlowTable;
  /** Per flow: lowest total propagation delay from source to destination, µs (the scoring ideal). */
  idealOneWayUs: number[];
  /**
   * Per page-load flow (a tcp flow with a `name`; 0 for others): the lowest round-trip
   * propagation delays of its lookups, µs — [2·flow] stub ↔ resolver, [2·flow + 1]
   * resolver ↔ its upstream (0 when the stub asks an authority directly) (SPEC PAGE-4).
   */
  pageLoadDnsRttUs: number[];
  /** The seats a player can hold, in file order: every role node with `seat: true` (SPEC ROLE-1). */
  seats: readonly Seat[];
  /** The roles its nodes were read with (the standard ones but in tests). */
  roles: RoleRegistry;
  /** Regions and data centres (SPEC DC-1): per node its data centre and region. */
  regions: RegionTables;
  /** Per node: the address its stub resolver asks (−1 without a stub); an anycast address may be several resolvers' (SPEC ANY-1). */
  stubResolverAddr: number[];
  /** The nodes holding each address: one, or an anycast resolver's instances (SPEC ANY-1). */
  addrNodes: ReadonlyMap<number, readonly number[]>;
}

/** A seat of the scenario: a node a player can hold, and the role played there. */
export interface Seat {
  node: string;
  role: RoleName;
}

function fieldPath(path: PropertyKey[], file: ScenarioFile | unknown): string {
  // Name list items by their id where there is one: "nodes[3] (r2).routes[0].via".
  let out = '';
  let cursor: unknown = file;
  for (const key of path) {
    cursor = cursor && typeof cursor === 'object' ? (cursor as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const itemId = cursor && typeof cursor === 'object' ? (cursor as { id?: unknown }).id : undefined;
      out += typeof itemId === 'string' ? `[${key}] (${itemId})` : `[${key}]`;
    } else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

function zodProblems(fileName: string, raw: unknown, error: z.ZodError): string[] {
  return error.issues.map((i) => `${fileName}: ${fieldPath(i.path, raw)}: ${i.message}`);
}

/** Parses and validates scenario JSON (text or an already-parsed value) — SPEC SCN-1, SCN-2. */
export function loadScenario(
  source: string | unknown,
  fileName: string,
  roles: RoleRegistry = STANDARD_ROLES,
): Scenario {
  let raw: unknown = source;
  if (typeof source === 'string') {
    try {
      raw = JSON.parse(source);
    } catch (e) {
      throw new ScenarioError(fileName, [`${fileName}: not JSON: ${(e as Error).message}`]);
    }
  }
  const parsed = scenarioSchemaFor(roles).safeParse(raw);
  if (!parsed.success) throw new ScenarioError(fileName, zodProblems(fileName, raw, parsed.error));
  return compile(parsed.data, fileName, roles);
}

function compile(file: ScenarioFile, fileName: string, roles: RoleRegistry): Scenario {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${fileName}: ${field}: ${message}`);

  const nodeIndex = new Map<string, number>();
  file.nodes.forEach((n, i) => {
    if (nodeIndex.has(n.id)) at(`nodes[${i}].id`, `duplicate id "${n.id}"; expected ids to be unique`);
    nodeIndex.set(n.id, i);
  });
  const hostAddr = file.nodes.map((n, i) => hostAddressOf(n, i, at));
  const addrNodes = new Map<number, number[]>();
  file.nodes.forEach((n, i) => {
    const a = hostAddr[i] as number;
    if (a < 0) return;
    const holders = addrNodes.get(a);
    if (!holders) {
      addrNodes.set(a, [i]);
      return;
    }
    // Anycast resolvers share an address (SPEC ANY-1); nothing else does.
    const other = file.nodes[holders[0] as number];
    if (!(isAnycast(n) && isAnycast(other)))
      at(
        `nodes[${i}] (${n.id}).address`,
        `address already used by "${other?.id}"; expected unique addresses (only resolvers with anycast: true share one)`,
      );
    holders.push(i);
  });

  const linkIndex = new Map<string, number>();
  const ports: Port[][] = file.nodes.map(() => []);
  file.links.forEach((l, i) => {
    checkLink(l, i, nodeIndex, linkIndex, ports, at);
  });

  file.nodes.forEach((n, i) => {
    const where = `nodes[${i}] (${n.id})`;
    if ('address' in n && (ports[i] as Port[]).length !== 1)
      at(where, `a ${n.kind} has exactly one link (to its gateway); found ${(ports[i] as Port[]).length}`);
    if (n.kind === 'host' && n.dns) checkHostDns(n.dns, where, file.nodes, nodeIndex, addrNodes, at);
    if (n.kind !== 'host')
      roles.role(n.kind)?.checkSpec(n, {
        node: i,
        where,
        nodeIndex,
        nodes: file.nodes,
        file,
        ports,
        at: (field, message) => at(`${where}.${field}`, message),
      });
  });
  file.traffic.forEach((f, i) => {
    checkFlow(f, i, file.nodes, nodeIndex, at, roles);
  });
  const regions = regionTables(file, nodeIndex, at);
  file.events.forEach((e, i) => {
    if (e.kind === 'command') {
      checkScriptedCommand(e.command, `events[${i}].command`, file.nodes, nodeIndex, roles, at);
      return;
    }
    if (e.kind === 'dcOutage') {
      if (!regions.dcIndex.has(e.dc))
        at(`events[${i}].dc`, `unknown data centre "${e.dc}"; expected one of the dataCentres' ids`);
    } else if (!linkIndex.has(e.link))
      at(`events[${i}].link`, `unknown link "${e.link}"; expected one of the links' ids`);
  });
  if (file.botSkill !== undefined) {
    const skills = new Set(
      file.nodes.flatMap((n) => (n.kind === 'host' ? [] : (roles.role(n.kind)?.botSkills ?? []))),
    );
    if (!skills.has(file.botSkill))
      at(
        'botSkill',
        `"${file.botSkill}" is no skill of this scenario's bots; expected one of ${[...skills].join(', ')}`,
      );
  }
  if (problems.length > 0) throw new ScenarioError(fileName, problems);
  // One Dijkstra per source host, not per flow: 10,000 flows share a few hundred sources.
  const delaysFrom = new Map<number, number[]>();
  const delaysOf = (from: number): number[] => {
    let dist = delaysFrom.get(from);
    if (!dist) {
      dist = shortestDelaysUs(file.links, ports, from);
      delaysFrom.set(from, dist);
    }
    return dist;
  };
  const delayUs = (from: number, to: number): number => delaysOf(from)[to] as number;
  const stubResolverAddr = file.nodes.map((n) => {
    const spec = stubResolverOf(n);
    return spec === undefined
      ? -1
      : (hostAddr[resolverNodes(spec, nodeIndex, addrNodes)[0] as number] as number);
  });
  /** The instance of a host's stub resolver nearest it by propagation: the one routes reach on a healthy network (SPEC ANY-1). */
  const stubResolver = (host: number): number => {
    const spec = stubResolverOf(file.nodes[host]);
    const all = spec === undefined ? [host] : resolverNodes(spec, nodeIndex, addrNodes);
    const dist = delaysOf(host);
    return all.reduce((best, r) => ((dist[r] as number) < (dist[best] as number) ? r : best));
  };
  const flowEnds = new Int32Array(file.traffic.length * 2);
  file.traffic.forEach((f, i) => {
    const from = nodeIndex.get(f.from) as number;
    flowEnds[2 * i] = from;
    flowEnds[2 * i + 1] = f.kind === 'dns' ? stubResolver(from) : (nodeIndex.get(f.to) as number);
  });
  const idealOneWayUs = file.traffic.map((_, i) =>
    delayUs(flowEnds[2 * i] as number, flowEnds[2 * i + 1] as number),
  );
  const pageLoadDnsRttUs = file.traffic.flatMap((f, i) => {
    if (f.kind !== 'tcp' || f.name === undefined) return [0, 0];
    const resolver = stubResolver(flowEnds[2 * i] as number);
    const spec = file.nodes[resolver];
    const upstream = spec && 'upstream' in spec ? nodeIndex.get(String(spec.upstream)) : undefined;
    return [
      2 * delayUs(flowEnds[2 * i] as number, resolver),
      upstream === undefined ? 0 : 2 * delayUs(resolver, upstream),
    ];
  });
  idealOneWayUs.forEach((d, i) => {
    if (d === Number.POSITIVE_INFINITY)
      at(`traffic[${i}]`, 'no path joins its hosts; expected a connected topology');
  });
  if (problems.length > 0) throw new ScenarioError(fileName, problems);
  const linkEnds = new Int32Array(file.links.length * 2);
  file.links.forEach((l, i) => {
    linkEnds[2 * i] = nodeIndex.get(l.a) as number;
    linkEnds[2 * i + 1] = nodeIndex.get(l.b) as number;
  });
  return {
    file,
    fileName,
    linkEnds,
    hostOut: Int32Array.from(ports, (p, node) =>
      (hostAddr[node] as number) >= 0 && p[0] ? p[0].link * 2 + p[0].dir : -1,
    ),
    flowEnds,
    flowTable: flowTable(file.traffic, flowEnds, hostAddr),
    nodeIds: file.nodes.map((n) => n.id),
    nodeIndex,
    linkIndex,
    hostAddr,
    ports,
    idealOneWayUs,
    pageLoadDnsRttUs,
    seats: file.nodes.flatMap((n) => (n.kind !== 'host' && n.seat ? [{ node: n.id, role: n.kind }] : [])),
    roles,
    regions,
    stubResolverAddr,
    addrNodes,
  };
}

type At = (field: string, message: string) => void;

/** A scripted command names a role's command and a node of that role (SPEC SCN-5). */
function checkScriptedCommand(
  cmd: { type: string; node: string },
  where: string,
  nodes: readonly NodeSpec[],
  nodeIndex: ReadonlyMap<string, number>,
  roles: RoleRegistry,
  at: At,
): void {
  const role = roles.commandOwner(cmd.type);
  if (!role) return at(`${where}.type`, `unknown command "${cmd.type}"; expected a role's command`);
  if (nodes[nodeIndex.get(cmd.node) ?? -1]?.kind !== role.name)
    at(`${where}.node`, `"${cmd.node}" is no ${role.name}; "${cmd.type}" goes to a ${role.name}`);
}

/** The address of a node that has one (hosts, resolvers), else −1. */
function hostAddressOf(n: NodeSpec, i: number, at: At): number {
  if (!('address' in n)) return -1;
  const a = parseAddress(n.address);
  if (a === null) {
    at(`nodes[${i}] (${n.id}).address`, `"${n.address}" is not an IPv4 address; expected e.g. "10.1.0.10"`);
    return -1;
  }
  return a;
}

function checkLink(
  l: LinkSpec,
  i: number,
  nodeIndex: Map<string, number>,
  linkIndex: Map<string, number>,
  ports: Port[][],
  at: At,
): void {
  const where = `links[${i}] (${l.id})`;
  if (linkIndex.has(l.id)) at(`${where}.id`, `duplicate id "${l.id}"; expected ids to be unique`);
  linkIndex.set(l.id, i);
  const a = nodeIndex.get(l.a);
  const b = nodeIndex.get(l.b);
  if (a === undefined) at(`${where}.a`, `unknown node "${l.a}"; expected one of the nodes' ids`);
  if (b === undefined) at(`${where}.b`, `unknown node "${l.b}"; expected one of the nodes' ids`);
  if (a === undefined || b === undefined) return;
  if (a === b) at(where, 'a link joins two different nodes');
  const q = l.queueDiscipline;
  if (q.kind === 'red' && q.minThPackets >= q.maxThPackets)
    at(`${where}.queueDiscipline`, 'expected minThPackets below maxThPackets');
  (ports[a] as Port[]).push({ link: i, dir: 0, peer: b });
  (ports[b] as Port[]).push({ link: i, dir: 1, peer: a });
}

function checkFlow(
  f: FlowSpec,
  i: number,
  nodes: NodeSpec[],
  nodeIndex: Map<string, number>,
  at: At,
  roles: RoleRegistry,
): void {
  const where = `traffic[${i}] (${f.id})`;
  if (f.stopS !== undefined && f.stopS <= f.startS) at(`${where}.stopS`, 'expected stopS after startS');
  if (f.kind === 'dns' || (f.kind === 'tcp' && f.name !== undefined)) {
    const from = nodes[nodeIndex.get(f.from) ?? -1];
    if (stubOf(from) === undefined)
      at(`${where}.from`, `"${f.from}" is not a host with a stub resolver; expected a host with dns.stub`);
    if (f.kind === 'dns') return;
  }
  const from = nodes[nodeIndex.get(f.from) ?? -1];
  if (from?.kind !== 'host') at(`${where}.from`, `"${f.from}" is not a host; expected the id of a host node`);
  // A TCP flow may also go to a role node that answers connections: a load balancer's virtual IP (SPEC LB-L4-1).
  const to = nodes[nodeIndex.get(f.to) ?? -1];
  const answers =
    to !== undefined && to.kind !== 'host' && f.kind === 'tcp' && roles.role(to.kind)?.acceptsFlows;
  if (to?.kind !== 'host' && !answers)
    at(
      `${where}.to`,
      `"${f.to}" is not a host; expected the id of a host node (or, for TCP, of a load balancer)`,
    );
  if (f.from === f.to) at(where, 'a flow goes between two different hosts');
  if (f.kind === 'tcp' && f.requestsPerConnection > 1 && (f.closeBy !== 'client' || f.name !== undefined))
    at(
      `${where}.requestsPerConnection`,
      'several requests per connection need closeBy "client" and no page load (name)',
    );
}

/** Whether a node is a resolver marked `anycast` (it may share its address, SPEC ANY-1). */
function isAnycast(n: NodeSpec | undefined): boolean {
  return n !== undefined && 'anycast' in n && n.anycast === true;
}

/** The nodes a stub's `resolver` names: one node by id, or every node holding the address (none when neither). */
function resolverNodes(
  spec: string,
  nodeIndex: ReadonlyMap<string, number>,
  addrNodes: ReadonlyMap<number, readonly number[]>,
): readonly number[] {
  const node = nodeIndex.get(spec);
  if (node !== undefined) return [node];
  const addr = parseAddress(spec);
  return addr === null ? [] : (addrNodes.get(addr) ?? []);
}

/**
 * A host's DNS role (SPEC SCN-2): a stub asks a resolver or a host with a zone; a
 * zone's addresses are nodes with an address or dotted addresses.
 */
function checkHostDns(
  dns: HostDnsSpec,
  where: string,
  nodes: NodeSpec[],
  nodeIndex: Map<string, number>,
  addrNodes: ReadonlyMap<number, readonly number[]>,
  at: At,
): void {
  if ('stub' in dns) {
    const all = resolverNodes(dns.stub.resolver, nodeIndex, addrNodes);
    const answers = (r: NodeSpec | undefined) =>
      r?.kind === 'resolver' || (r?.kind === 'host' && r.dns !== undefined && 'zone' in r.dns);
    if (all.length === 0 || !all.every((node) => answers(nodes[node])))
      at(
        `${where}.dns.stub.resolver`,
        `"${dns.stub.resolver}" answers no DNS; expected a resolver or a host with dns.zone (by id or address)`,
      );
    return;
  }
  const seen = new Set<string>();
  dns.zone.names.forEach((entry, j) => {
    if (seen.has(entry.name)) at(`${where}.dns.zone.names[${j}].name`, `duplicate name "${entry.name}"`);
    seen.add(entry.name);
    entry.addrs.forEach((a, k) => {
      const n = nodes[nodeIndex.get(a) ?? -1];
      if (n ? !('address' in n) : parseAddress(a) === null)
        at(
          `${where}.dns.zone.names[${j}].addrs[${k}]`,
          `"${a}" is neither a node with an address nor an IPv4 address; expected e.g. "web" or "10.3.0.10"`,
        );
    });
  });
}

/**
 * Dijkstra on propagation latency from one node to every node, µs (+∞ when
 * unreachable). Ignores link state: the ideal is the best path on a healthy network.
 */
function shortestDelaysUs(links: LinkSpec[], ports: Port[][], from: number): number[] {
  const dist = ports.map(() => Number.POSITIVE_INFINITY);
  const done = ports.map(() => false);
  dist[from] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < dist.length; i++)
      if (!done[i] && (u < 0 || (dist[i] as number) < (dist[u] as number))) u = i;
    if (u < 0 || dist[u] === Number.POSITIVE_INFINITY) break;
    done[u] = true;
    for (const p of ports[u] as Port[]) {
      const d = (dist[u] as number) + msToUs((links[p.link] as LinkSpec).latencyMs);
      if (d < (dist[p.peer] as number)) dist[p.peer] = d;
    }
  }
  return dist;
}
