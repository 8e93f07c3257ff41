/**
 * What a role is, in the simulation: the plug-in a router, a DNS resolver or a load
 * balancer implements. A role is its own folder under roles/ plus a line in
 * registry.ts; nothing else in the simulation names it (docs/ARCHITECTURE.md).
 */
import type { z } from 'zod';
import type { CommandError, SimCore } from '../engine/core.ts';
import type { SimRecord } from '../engine/records.ts';
import type { TcpConn } from '../engine/state.ts';
import type { NetworkHooks } from '../network/network.ts';
import type { Port, Scenario } from '../scenario/scenario.ts';
import type { NodeSpec, ScenarioFile } from '../scenario/scenarioSchema.ts';
import type { TcpApp } from '../transport/tcpConn.ts';

/** What every role node's spec has (roleNodeFields), with the role's name as its `kind`. */
export interface RoleNodeSpec {
  kind: string;
  id: string;
  seat: boolean;
}

/** What every role node's state has: its role, its node and the packets dropped there. */
export interface RoleStateBase {
  role: string;
  node: number;
  dropped: number;
  /** The skill of the bot holding the seat, or null while a player (or nobody yet) does (SPEC BOT-1). */
  botSkill?: string | null;
  /** Bumped whenever the seat changes hands: a bot's timer from before finds another number and stops (SPEC BOT-3). */
  botGen?: number;
}

/**
 * The `arg` of a bot's own role timers: −1 − the seat's `botGen` when scheduled.
 * Role timers of the role itself use args ≥ 0 (packet ids, query keys), so the two never meet.
 */
export function botTimerArg(state: RoleStateBase): number {
  return -1 - (state.botGen ?? 0);
}

/** A command addressed to one node of a role (players' commands and the bot's). */
export interface RoleCommandBase {
  type: string;
  node: string;
}

/** What a role's commands and bot may use besides the core: neighbours, and keeping derived tables in step. */
export interface RoleHost extends SimCore {
  /** The node index of `id` if it is a neighbour of `node`, else −1. */
  neighbour(node: number, id: string): number;
  /** The role's state changed what `mode` answers: the hop path's table is rebuilt. */
  nodeModesChanged(): void;
  /** An interface's discipline changed: the hop path's table is rebuilt. */
  interfacesChanged(): void;
}

/** Checks of a role node beyond its schema (references to other nodes), SPEC SCN-2. */
export interface SpecContext {
  /** The node's index and where it is in the file, for messages (`nodes[3] (r2)`). */
  node: number;
  where: string;
  nodeIndex: ReadonlyMap<string, number>;
  /** Every node's spec, by index (a role may name other nodes and need their kind). */
  nodes: readonly NodeSpec[];
  /** The whole file (a role may name regions or data centres, SPEC GSLB-7). */
  file: ScenarioFile;
  ports: readonly (readonly Port[])[];
  /** Reports a problem with a field (`${where}.routes[0].via`). */
  at(field: string, message: string): void;
}

/** A role's command handler: applies `cmd` to the node's state now, or says why not (SPEC CMD-1). */
export type CommandHandler<State, Cmd> = (sim: RoleHost, state: State, cmd: Cmd) => CommandError;

/** Everything the simulation knows of one role (see roles/router for the first). */
export interface RoleDef<
  Spec extends RoleNodeSpec,
  State extends RoleStateBase,
  Cmd extends RoleCommandBase,
  View,
> {
  /** The role's name: its nodes' `kind` in scenario files, and the seat's role. */
  readonly name: Spec['kind'];
  /** The role's node spec in scenario files (a zod strict object with `kind: z.literal(name)`). */
  readonly nodeSchema: z.ZodType<Spec, unknown>;
  /** References the schema cannot check (SPEC SCN-2). */
  checkSpec(spec: Spec, ctx: SpecContext): void;
  /** The node keeps a forwarding table: the FIB gets a row for it (network/fib.ts). */
  readonly forwards: boolean;
  /** TCP flows may go `to` the node (it has an address and takes connections, as a load balancer's virtual IP). */
  readonly acceptsFlows?: boolean;
  /**
   * Optional, for a role that `acceptsFlows` and terminates them (the L7 balancer): the
   * TCP application of the connections it owns (`TcpConn.app` = its node), and the gate
   * of the responses it sends on the connections clients open to it.
   */
  readonly tcpApp?: RoleTcpApp<State>;
  initialState(spec: Spec, node: number, sc: Scenario): State;
  /** Optional: what the node does when the run starts (schedules its first timers, e.g. health checks). */
  start?(sim: SimCore, hooks: NetworkHooks, state: State): void;
  /** NODE_FORWARD (by its table: the hop path's fast lane) or NODE_ROLE (`arrive` decides). */
  mode(state: State): number;
  /** A packet (in `slot`, over `link`) arrived while `mode` is NODE_ROLE. */
  arrive(sim: SimCore, hooks: NetworkHooks, state: State, slot: number, link: number): void;
  /** A timer the role scheduled (`roleTimer` event with `arg`) is due. */
  onTimer(sim: SimCore, hooks: NetworkHooks, state: State, arg: number): void;
  /** The commands a player (or the bot) may send this role, by type. */
  readonly commands: { readonly [T in Cmd['type']]: CommandHandler<State, Extract<Cmd, { type: T }>> };
  /**
   * The bot's skill levels, weakest first (SPEC BOT-1): `seat.bot {node, skill}` takes
   * one of these; a role declares its own, and nothing else lists them.
   */
  readonly botSkills: readonly string[];
  /** The level `seat.bot` without a skill uses: the scenario's bot policy (SPEC BOT-1). */
  readonly defaultBotSkill: string;
  /** What runs while no player holds the seat, at `skill` (`seat.bot`, SPEC CMD-2, BOT-2). */
  bot(sim: RoleHost, state: State, spec: Spec, skill: string): CommandError;
  /**
   * A timer the bot scheduled (with `botTimerArg(state)`) is due while the same bot still
   * holds the seat: bots that act over time act here, in simulated time (SPEC BOT-3).
   */
  onBotTimer?(sim: RoleHost, state: State, spec: Spec): void;
  /**
   * Optional: how many things wait at the node for its player to decide (a router
   * forwarding by hand: its held packets). The room hands a seat whose player stays idle
   * while something waits to its bot (SPEC COVER-1). Without it nothing ever waits.
   */
  awaitingPlayer?(state: State): number;
  /** A read-only view for drawing the node and its panel. */
  view(sim: SimCore, state: State): View;
  /**
   * Points for this role's nodes from one record (SPEC SCORE-5); `credit` adds to a
   * node's score under `part`, the line of the breakdown that explains it (SPEC SCORE-7).
   */
  score(r: SimRecord, credit: Credit, sc: Scenario): void;
}

/** A role's part in TCP (RoleDef.tcpApp). */
export interface RoleTcpApp<State> {
  /**
   * Callbacks of the connections the role owns: those it opens from its node, and
   * their server ends at the hosts they reach (claimed when they are established).
   */
  readonly app: TcpApp;
  /**
   * A client's connection to the node (its server end there, run by the flow's
   * request/response plan) has read its request and is about to send the response:
   * true when it may now, else false and the role resumes it later (`respondNow`).
   */
  responseReady(sim: SimCore, state: State, c: TcpConn): boolean;
  /** A client's connection to the node ended (closed, reset or given up), as it leaves the connection table. */
  ended(sim: SimCore, state: State, c: TcpConn): void;
}

/** Adds `points` to role node `node`'s score, counted under the breakdown line `part`. */
export type Credit = (node: number, points: number, part: string) => void;

/** A role with its types erased, as the registry dispatches to it. */
export type AnyRole = RoleDef<RoleNodeSpec, RoleStateBase, RoleCommandBase, unknown>;

/** Declares a role (types checked here; the registry erases them). */
export function defineRole<
  Spec extends RoleNodeSpec,
  State extends RoleStateBase,
  Cmd extends RoleCommandBase,
  View,
>(def: RoleDef<Spec, State, Cmd, View>): RoleDef<Spec, State, Cmd, View> {
  return def;
}
