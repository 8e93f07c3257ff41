export { formatAddress, formatPrefix, parseAddress, parsePrefix } from './address.ts';
export type { CommandError, SimCommand } from './commands.ts';
export { lookupRoute, type Route } from './forwarding.ts';
export { type ChannelMetrics, MetricsCollector } from './metrics.ts';
export { HAND_QUEUE_MAX } from './network.ts';
export { LOSS_REASON_TEXT, type LossReason, type RecordListener, type SimRecord } from './records.ts';
export { backOff, initialRto, type RtoState, takeRttSample } from './rfc6298.ts';
export { loadScenario, type Scenario, ScenarioError } from './scenario.ts';
export { SCENARIO_LIMITS, type ScenarioFile, scenarioSchema } from './scenarioSchema.ts';
export { latencyPoints, POINTS, Scoreboard } from './scoring.ts';
export { Simulation } from './simulation.ts';
export { ACK, type Channel, FIN, type Packet, RST, SYN, type TcpStateName } from './state.ts';
export { percentile } from './stats.ts';
export { msToUs, sToUs, US_PER_MS, US_PER_S } from './units.ts';
export {
  type HandWaitView,
  type LinkDirView,
  type LinkView,
  linkViews,
  type PacketInFlight,
  packetsInFlight,
  type RouterView,
  routerView,
} from './views.ts';
