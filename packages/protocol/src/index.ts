export {
  CLASS_ROOM,
  HASH_EVERY_TICKS,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  LESSONS,
  type LessonId,
  MAX_PLAYERS,
  NICKNAME_MAX_CHARS,
  normaliseJoinCode,
  SPARKLINE_POINTS,
  TICK_HZ,
  TIME_SCALE_MAX,
  TIME_SCALE_MIN,
} from './constants.ts';
export {
  type ClientMessage,
  type ClientMessageType,
  type CreateOptions,
  clientMessages,
  createOptions,
  type ErrorCode,
  HOST_ONLY,
  type JoinOptions,
  joinCode,
  joinOptions,
  type ServerMessages,
} from './messages.ts';
export { CopyState, LinkFigures, type Phase, Player, ResultRow, RoomState } from './state.ts';
