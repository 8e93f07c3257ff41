/**
 * Regions, data centres and GSLB services of a scenario (SPEC DC-1, GSLB-1): their
 * references checked, and the per-node tables the simulation reads (which data centre
 * a host is in, which region a node is in).
 */
import { parseAddress } from '../network/address.ts';
import type { NodeSpec, ScenarioFile } from './scenarioSchema.ts';

type At = (field: string, message: string) => void;

/** What the simulation reads of regions and data centres. */
export interface RegionTables {
  /** Per node: its data centre's index in `dataCentres`, or −1. */
  dcOfNode: Int32Array;
  /** Per node: its region's index in `regions` (a data centre's hosts: the data centre's), or −1. */
  regionOfNode: Int32Array;
  /** Per data centre: its region's index. */
  dcRegion: Int32Array;
  dcIndex: ReadonlyMap<string, number>;
  regionIndex: ReadonlyMap<string, number>;
}

function indexIds(items: readonly { id: string }[], field: string, at: At): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (index.has(item.id)) at(`${field}[${i}].id`, `duplicate id "${item.id}"; expected ids to be unique`);
    index.set(item.id, i);
  });
  return index;
}

/** Checks regions, data centres and GSLB services against the nodes (SPEC SCN-2) and builds the tables. */
export function regionTables(
  file: ScenarioFile,
  nodeIndex: ReadonlyMap<string, number>,
  at: At,
): RegionTables {
  const regionIndex = indexIds(file.regions, 'regions', at);
  const dcIndex = indexIds(file.dataCentres, 'dataCentres', at);
  const n = file.nodes.length;
  const dcOfNode = new Int32Array(n).fill(-1);
  const regionOfNode = new Int32Array(n).fill(-1);
  const regionOf = (id: string, field: string): number => {
    const r = regionIndex.get(id);
    if (r === undefined) at(field, `unknown region "${id}"; expected one of the regions' ids`);
    return r ?? -1;
  };
  file.nodes.forEach((node: NodeSpec, i) => {
    if (node.kind === 'host' && node.region !== undefined)
      regionOfNode[i] = regionOf(node.region, `nodes[${i}] (${node.id}).region`);
  });
  file.regions.forEach((r, i) => {
    if (r.nearestDc !== undefined && !dcIndex.has(r.nearestDc))
      at(`regions[${i}] (${r.id}).nearestDc`, `unknown data centre "${r.nearestDc}"`);
  });
  const dcRegion = new Int32Array(file.dataCentres.length);
  file.dataCentres.forEach((dc, d) => {
    const where = `dataCentres[${d}] (${dc.id})`;
    dcRegion[d] = regionOf(dc.region, `${where}.region`);
    dc.hosts.forEach((id, j) => {
      const node = nodeIndex.get(id);
      if (node === undefined || file.nodes[node]?.kind !== 'host') {
        at(`${where}.hosts[${j}]`, `"${id}" is not a host; expected the id of a host node`);
        return;
      }
      if ((dcOfNode[node] as number) >= 0) {
        at(`${where}.hosts[${j}]`, `"${id}" is already in another data centre`);
        return;
      }
      dcOfNode[node] = d;
      if ((regionOfNode[node] as number) >= 0 && regionOfNode[node] !== dcRegion[d])
        at(`${where}.hosts[${j}]`, `"${id}" is in another region than its data centre`);
      regionOfNode[node] = dcRegion[d] as number;
    });
  });
  const seenNames = new Set<string>();
  file.gslb.forEach((s, i) => {
    const where = `gslb[${i}] (${s.name})`;
    if (seenNames.has(s.name)) at(`${where}.name`, `duplicate GSLB name "${s.name}"`);
    seenNames.add(s.name);
    const seenDcs = new Set<string>();
    s.dcs.forEach((entry, j) => {
      if (!dcIndex.has(entry.dc)) at(`${where}.dcs[${j}].dc`, `unknown data centre "${entry.dc}"`);
      if (seenDcs.has(entry.dc)) at(`${where}.dcs[${j}].dc`, `data centre "${entry.dc}" listed twice`);
      seenDcs.add(entry.dc);
      entry.addrs.forEach((a, k) => {
        const node = file.nodes[nodeIndex.get(a) ?? -1];
        if (node ? !('address' in node) : parseAddress(a) === null)
          at(
            `${where}.dcs[${j}].addrs[${k}]`,
            `"${a}" is neither a node with an address nor an IPv4 address; expected e.g. "web1" or "10.3.0.10"`,
          );
      });
    });
  });
  return { dcOfNode, regionOfNode, dcRegion, dcIndex, regionIndex };
}
