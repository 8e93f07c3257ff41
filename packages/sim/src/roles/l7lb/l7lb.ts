/**
 * The L7 load balancer role (GAME.md): terminates clients' connections at its virtual
 * IP, routes each request by path (and session cookie) to a pool's backend and forwards
 * it over its own keep-alive connections (SPEC LB-L7-1..16).
 */
import { NODE_ROLE } from '../../engine/core.ts';
import { defineRole } from '../role.ts';
import { L7LB_BOT_SKILLS, l7lbBot, onL7lbBotTimer } from './bot.ts';
import { type L7lbCommand, l7lbCommands } from './commands.ts';
import { l7lbArrive, l7TcpApp, onL7Timer, startL7 } from './packetPath.ts';
import { scoreL7lb } from './scoring.ts';
import { checkL7lbSpec, type L7lbSpec, l7lbNodeSchema } from './spec.ts';
import { initialL7lbState, type L7lbState } from './state.ts';
import { type L7lbView, viewL7lb } from './view.ts';

export const l7lbRole = defineRole<L7lbSpec, L7lbState, L7lbCommand, L7lbView>({
  name: 'l7lb',
  nodeSchema: l7lbNodeSchema,
  checkSpec: checkL7lbSpec,
  forwards: false,
  acceptsFlows: true,
  tcpApp: l7TcpApp,
  initialState: initialL7lbState,
  // A leaf with the virtual IP: every packet reaching it is for it.
  mode: () => NODE_ROLE,
  arrive: l7lbArrive,
  start: (sim, _hooks, lb) => startL7(sim, lb),
  onTimer: (sim, _hooks, lb, arg) => onL7Timer(sim, lb, arg),
  commands: l7lbCommands,
  botSkills: L7LB_BOT_SKILLS,
  /** Competent: the scenario's rules, least connections, pool size `botPoolSize` (SPEC LB-L7-10). */
  defaultBotSkill: 'competent',
  bot: l7lbBot,
  onBotTimer: onL7lbBotTimer,
  view: viewL7lb,
  score: scoreL7lb,
});
