export {
  CLASS_ROOM,
  HASH_EVERY_TICKS,
  HASH_STAGGER_TICKS,
  HOST_MOVED_CLOSE_CODE,
  isHashTick,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  KICKED_CLOSE_CODE,
  MAX_PLAYERS,
  NICKNAME_MAX_CHARS,
  normaliseJoinCode,
  PROJECTORS_MAX,
  RECONNECT_WINDOW_S,
  SPARKLINE_POINTS,
  TEAM_NAME_MAX_CHARS,
  TEAMS_MAX,
  TEAMS_MIN,
  TICK_HZ,
  TICK_MS,
  TICKS_PER_BATCH,
  TIME_SCALE_MAX,
  TIME_SCALE_MIN,
} from './constants.ts';
export {
  HOST_KEY_HEADER,
  type RoundFailure,
  type RoundResults,
  type RoundSeries,
  type RoundSummary,
  roundFailure,
  roundHistory,
  roundResults,
  roundSeries,
  roundSummary,
} from './history.ts';
export { type LessonSummary, lessonList, lessonSummary } from './lessons.ts';
export {
  defineMessage,
  isRoleMessage,
  type MessageDefinition,
  type MessageSender,
  type RoleMessageDefinition,
  type RoomMessageDefinition,
} from './messages/define.ts';
export {
  CLIENT_MESSAGES,
  type ClientMessage,
  type ClientMessageDefinition,
  type ClientMessageType,
  clientMessage,
  type MessagePayload,
} from './messages/index.ts';
export { type CreateOptions, createOptions, type JoinOptions, joinCode, joinOptions } from './options.ts';
export type { ErrorCode, ServerMessages, SyncHash, SyncTick, SyncTicks } from './serverMessages.ts';
export {
  CompetitionState,
  CopyState,
  LinkFigures,
  type Phase,
  Player,
  ResultRow,
  RoomState,
  type StateSchemas,
  stateSchemas,
  TeamCopyState,
  TeamPlayer,
} from './state.ts';
export { hashOf, ticksOf } from './tickBatch.ts';
