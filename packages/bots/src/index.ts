export { Bot, type BotOptions, type BotSeat } from './bot.ts';
export {
  runSwarm,
  SWARM_MAX,
  SWARM_MAX_S,
  type SwarmOptions,
  type SwarmReport,
  swarmProblem,
} from './swarm.ts';
