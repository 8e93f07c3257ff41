/** What a command or a scripted event does to the network as a whole; a role's own commands go to its role. */
import { clientPort } from '../application/requests.ts';
import { startSpike } from '../application/spike.ts';
import { assert, type CommandError } from '../engine/core.ts';
import { flushLink } from '../network/network.ts';
import type { RoleCommand } from '../roles/registry.ts';
import { botTimerArg, type CommandHandler, type RoleCommandBase, type RoleStateBase } from '../roles/role.ts';
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
  // A command its role refuses (CMD-1) changes nothing, as a player's would.
  else applyRoleCommand(sim, e.command as unknown as RoleCommand);
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
    case 'traffic.spike':
      return startSpike(sim, cmd.factor, cmd.seconds, cmd.flow);
    case 'host.rebind':
      return rebindHost(sim, cmd.host);
    case 'seat.bot':
      return seatToBot(sim, cmd.node, cmd.skill);
    case 'seat.player': {
      const state = roleStateOf(sim, cmd.node);
      if (!state) return `"${cmd.node}" is no seat`;
      // The bot stops: its pending timers find another generation (SPEC BOT-3).
      state.botSkill = null;
      state.botGen = (state.botGen ?? 0) + 1;
      return null;
    }
    default:
      return applyRoleCommand(sim, cmd);
  }
}

function roleStateOf(sim: Simulation, id: string): RoleStateBase | null {
  const node = sim.sc.nodeIndex.get(id);
  return node === undefined ? null : (sim.st.roles[node] ?? null);
}

/** A bot at `skill` (else its role's default) takes the seat `id` (SPEC CMD-2, BOT-1). */
function seatToBot(sim: Simulation, id: string, skill: string | undefined): CommandError {
  const state = roleStateOf(sim, id);
  const spec = sim.sc.file.nodes[state?.node ?? -1];
  if (!state || !spec || spec.kind === 'host') return `"${id}" is no seat`;
  const role = sim.sc.roles.of(state);
  const level = skill ?? sim.sc.file.botSkill ?? role.defaultBotSkill;
  if (!role.botSkills.includes(level)) {
    if (skill !== undefined)
      return `a ${role.name} bot's skill is one of ${role.botSkills.join(', ')}, not "${skill}"`;
    // The scenario's skill is for the seats whose role has it; the others keep their default.
    return seatToBot(sim, id, role.defaultBotSkill);
  }
  // A new generation first, so timers the bot schedules now are its own (SPEC BOT-3).
  state.botSkill = level;
  state.botGen = (state.botGen ?? 0) + 1;
  const refused = role.bot(sim, state, spec, level);
  if (refused) state.botSkill = null;
  return refused;
}

/** A bot's timer is due: its role acts if the same bot still holds the seat (SPEC BOT-3). */
export function runBotTimer(sim: Simulation, state: RoleStateBase, arg: number): void {
  if (state.botSkill === null || state.botSkill === undefined || arg !== botTimerArg(state)) return;
  const spec = sim.sc.file.nodes[state.node];
  if (spec && spec.kind !== 'host') sim.sc.roles.of(state).onBotTimer?.(sim, state, spec);
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
