export { appConfig, CLIENT_DIST_DIR, MAX_PAYLOAD_BYTES } from './app.ts';
export { ClassRoom } from './ClassRoom.ts';
export { SimCopy } from './copies.ts';
export { type Action, type Decision, decide, describeIssues, permits, type Sender } from './dispatch.ts';
export { randomJoinCode, unusedJoinCode } from './joinCode.ts';
export { lessonId, lessons } from './lessons.ts';
export { type PlayerResult, type RankedResult, rankResults } from './results.ts';
export { type LoadedScenario, lessonScenario, SCENARIOS_DIR } from './scenarios.ts';
export { copiesNeeded, firstFreeSeat, type Seat } from './seats.ts';
