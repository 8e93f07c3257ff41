/** What a command or a scripted event does to the network as a whole; a role's own commands go to its role. */
import { clientPort } from '../application/requests.ts';
import { assert, type CommandError } from '../engine/core.ts';
import { flushLink } from '../network/network.ts';
import type { RoleCommand } from '../roles/registry.ts';
import type { CommandHandler, RoleCommandBase, RoleStateBase } from '../roles/role.ts';
import { rebindQuic } from '../transport/quic.ts';
import { rebindConn } from '../transport/tcpConn.ts';
import type { SimCommand } from './commands.ts';
import { setDcDown } from './dataCentres.ts';
import { syncLinkTables } from './derived.ts';
import type { Simulation } from './simulation.ts';

/** A scripted event of the scenario is due (SPEC SCN-1). */
export function runScript(sim: Simulation, index: number): void {
  const e = sim.sc.file.events[index];
  assert(e !== undefined, 'script index is valid');
  if (e.kind === 'linkDown') setLinkUp(sim, e.link, false);
  else if (e.kind === 'linkUp') setLinkUp(sim, e.link, true);
  else if (e.kind === 'linkLoss') setLinkLoss(sim, e.link, e.loss);
  else if (e.kind === 'dcOutage') setDcDown(sim, e.dc, e.down);
  else {
    // Checked on load: the router, its neighbour and the prefix are valid.
    const refused = applyRoleCommand(sim, { type: 'route.set', node: e.node, prefix: e.prefix, via: e.via });
    assert(refused === null, `a scripted route applies (${refused})`);
  }
}

/** Applies one command now; returns why it was refused, or null (SPEC CMD-1). */
export function applyCommand(sim: Simulation, cmd: SimCommand): CommandError {
  switch (cmd.type) {
    case 'link.set':
    case 'link.loss':
      if (!sim.sc.linkIndex.has(cmd.link)) return `unknown link "${cmd.link}"`;
      if (cmd.type === 'link.set') setLinkUp(sim, cmd.link, cmd.up);
      else if (!(cmd.loss >= 0 && cmd.loss <= 1)) return 'loss is a probability between 0 and 1';
      else setLinkLoss(sim, cmd.link, cmd.loss);
      return null;
    case 'dc.outage':
      return setDcDown(sim, cmd.dc, cmd.down);
    case 'host.rebind':
      return rebindHost(sim, cmd.host);
    case 'seat.bot': {
      const node = sim.sc.nodeIndex.get(cmd.node);
      const state = node === undefined ? null : sim.st.roles[node];
      const spec = node === undefined ? undefined : sim.sc.file.nodes[node];
      if (!state || !spec || spec.kind === 'host') return `"${cmd.node}" is no seat`;
      return sim.sc.roles.of(state).bot(sim, state, spec);
    }
    default:
      return applyRoleCommand(sim, cmd);
  }
}

/** A role's command goes to the role of the node it names, if that node has that role. */
function applyRoleCommand(sim: Simulation, cmd: RoleCommand): CommandError {
  const role = sim.sc.roles.commandOwner(cmd.type);
  if (!role) return `unknown command "${cmd.type}"`;
  const node = sim.sc.nodeIndex.get(cmd.node);
  const state = node === undefined ? null : sim.st.roles[node];
  if (!state || state.role !== role.name) return `unknown ${role.name} "${cmd.node}"`;
  const handler = (role.commands as Record<string, CommandHandler<RoleStateBase, RoleCommandBase>>)[cmd.type];
  assert(handler !== undefined, 'a command has the handler its role registered');
  return handler(sim, state, cmd);
}

/**
 * NAT rebinding (SPEC QUIC-10): the host's client connections send from a new
 * port from now on. QUIC carries on (the server follows the connection ID);
 * TCP's peer sees an unknown 4-tuple and resets.
 */
function rebindHost(sim: Simulation, hostId: string): CommandError {
  const node = sim.sc.nodeIndex.get(hostId);
  if (node === undefined || sim.sc.file.nodes[node]?.kind !== 'host') return `unknown host "${hostId}"`;
  sim.st.hostRebinds[node] = (sim.st.hostRebinds[node] ?? 0) + 1;
  for (const c of Object.values(sim.st.conns))
    if (c.node === node && c.role === 'client') rebindConn(sim, c, clientPort(sim, node, c.flow, c.unit));
  for (const q of Object.values(sim.st.quicConns))
    if (q.node === node && q.role === 'client') rebindQuic(q, clientPort(sim, node, q.flow, q.unit));
  return null;
}

function setLinkUp(sim: Simulation, linkId: string, up: boolean): void {
  const i = sim.sc.linkIndex.get(linkId) as number;
  const link = sim.st.links[i];
  assert(link !== undefined, 'link exists');
  const wasUp = link.up;
  link.up = up;
  // Which of two parallel links a router uses depends on which are up.
  if (wasUp !== up) sim.fib.clear();
  if (wasUp && !up) flushLink(sim, sim.hooks, i);
  syncLinkTables(sim, sim.st);
}

function setLinkLoss(sim: Simulation, linkId: string, loss: number): void {
  const link = sim.st.links[sim.sc.linkIndex.get(linkId) as number];
  assert(link !== undefined, 'link exists');
  link.lossModel = { kind: 'bernoulli', p: loss };
  syncLinkTables(sim, sim.st);
}
