export { LB_ALGORITHMS, type LbAlgorithm } from './application/balancing/choices.ts';
export type { ServerView } from './application/server.ts';
export { LOSS_REASON_TEXT, type LossReason, type RecordListener, type SimRecord } from './engine/records.ts';
export { ACK, type Channel, FIN, type Packet, RST, SYN, type TcpStateName } from './engine/state.ts';
export { percentile } from './engine/stats.ts';
export { msToUs, sToUs, US_PER_MS, US_PER_S } from './engine/units.ts';
export { formatAddress, formatPrefix, parseAddress, parsePrefix } from './network/address.ts';
export { lookupRoute, type Route } from './network/forwarding.ts';
export {
  conceptFor,
  type DebriefText,
  FAILURE_CONCEPTS,
  FAILURE_REASON_TEXT,
  type FailureReason,
  type PageLoadReason,
} from './observation/concepts.ts';
export {
  type ChannelMetrics,
  type ChannelTally,
  type DnsMetrics,
  goodputBytes,
  MetricsCollector,
  type MetricsSummary,
  type MetricsTally,
} from './observation/metrics.ts';
export {
  findPacketSlot,
  type PacketHeaders,
  type PacketWhere,
  packetHeaders,
} from './observation/packetHeaders.ts';
export {
  addPart,
  latencyPoints,
  POINTS,
  partsTotal,
  Scoreboard,
  type ScorePart,
  type ScoreParts,
} from './observation/scoring.ts';
export {
  type HostView,
  hostViews,
  type LinkCounters,
  type LinkDirView,
  type LinkView,
  linkViews,
  type PacketInFlight,
  packetsInFlight,
  readLinkCounters,
} from './observation/views.ts';
export type { L4lbCommand } from './roles/l4lb/commands.ts';
export { WEIGHT_MAX } from './roles/l4lb/spec.ts';
export { ADMIN_STATES, type AdminState } from './roles/l4lb/state.ts';
export { type L4BackendView, type L4lbView, viewL4lb } from './roles/l4lb/view.ts';
export { PREFIX_MAX, RULES_MAX } from './roles/l7lb/rules.ts';
export { KEEPALIVE_POOL_MAX } from './roles/l7lb/spec.ts';
export { type L7BackendView, type L7lbView, type L7PoolView, viewL7lb } from './roles/l7lb/view.ts';
export {
  awaitingPlayer,
  nodeView,
  ROLES,
  type RoleCommand,
  type RoleName,
  RoleRegistry,
  type RoleView,
  STANDARD_ROLES,
} from './roles/registry.ts';
export {
  ANSWER_POLICIES,
  type AnswerPolicy,
  type AnswerPolicyName,
  answerPolicySchema,
} from './roles/resolver/gslbSpec.ts';
export { POLICY_TTL_MAX_S, type ResolverPolicy, resolverPolicySchema } from './roles/resolver/spec.ts';
export { type ResolverView, viewResolver } from './roles/resolver/view.ts';
export { defineRole, type RoleDef, type RoleHost } from './roles/role.ts';
export { HAND_QUEUE_MAX } from './roles/router/handForwarding.ts';
export type { RouterState } from './roles/router/state.ts';
export { type HandWaitView, type RouterView, routerView } from './roles/router/view.ts';
export {
  loadScenario,
  type Scenario,
  ScenarioError,
  type Seat as ScenarioSeat,
} from './scenario/scenario.ts';
export {
  SCENARIO_LIMITS,
  type ScenarioFile,
  scenarioSchema,
} from './scenario/scenarioSchema.ts';
export type { CommandError, SimCommand } from './simulation/commands.ts';
export { Simulation } from './simulation/simulation.ts';
export { SNAPSHOT_FORMAT, SnapshotFormatError } from './simulation/snapshot.ts';
export { backOff, initialRto, type RtoState, takeRttSample } from './transport/rfc6298.ts';
