/** The L4 load balancer role (GAME.md): picks a backend per connection and keeps it pinned (SPEC LB-L4-1..5). */
import { NODE_ROLE } from '../../engine/core.ts';
import { defineRole } from '../role.ts';
import { l4lbArrive } from './arrive.ts';
import { L4LB_BOT_SKILLS, l4lbBot, onL4lbBotTimer } from './bot.ts';
import { type L4lbCommand, l4lbCommands } from './commands.ts';
import { onL4Timer, startL4Health } from './health.ts';
import { scoreL4lb } from './scoring.ts';
import { checkL4lbSpec, type L4lbSpec, l4lbNodeSchema } from './spec.ts';
import { initialL4lbState, type L4lbState } from './state.ts';
import { type L4lbView, viewL4lb } from './view.ts';

export const l4lbRole = defineRole<L4lbSpec, L4lbState, L4lbCommand, L4lbView>({
  name: 'l4lb',
  nodeSchema: l4lbNodeSchema,
  checkSpec: checkL4lbSpec,
  forwards: false,
  acceptsFlows: true,
  initialState: initialL4lbState,
  // A leaf with the virtual IP: every packet reaching it is for it.
  mode: () => NODE_ROLE,
  arrive: l4lbArrive,
  start: (sim, _hooks, lb) => startL4Health(sim, lb),
  onTimer: (sim, _hooks, lb, arg) => onL4Timer(sim, lb, arg),
  commands: l4lbCommands,
  botSkills: L4LB_BOT_SKILLS,
  /** Competent: the scenario's bot algorithm, tracking on, every backend in service (SPEC LB-BOT-1). */
  defaultBotSkill: 'competent',
  bot: l4lbBot,
  onBotTimer: onL4lbBotTimer,
  view: viewL4lb,
  score: scoreL4lb,
});
