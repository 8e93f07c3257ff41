export { Bot, type BotOptions, type BotSeat, dropSyncStream } from './bot.ts';
export {
  runSwarm,
  runSwarms,
  SWARM_MAX,
  SWARM_MAX_S,
  type SwarmOptions,
  type SwarmReport,
  swarmProblem,
} from './swarm.ts';
