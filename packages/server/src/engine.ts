/**
 * What runs a round without any IO: the round engine and its copies, the message
 * checks, the results. The browser runs practice rounds with exactly this code
 * (ARCHITECTURE.md "Practice"), so nothing reachable from here may import a `node:`
 * module or the Colyseus server at run time (engine.test.ts checks).
 */
export { type CopyStep, type Rejection, SimCopy } from './copies.ts';
export { type Decision, decide, type Sender } from './dispatch.ts';
export { REPLAY_FORMAT, REPLAY_VERSION, type ReplayFile, replayFile } from './replayFile.ts';
export { finishedRound, type PlayerResult, type RankedResult, rankResults, roundResults } from './results.ts';
export { RoundEngine, type RoundHost } from './roundEngine.ts';
export type { Seat } from './seats.ts';
export type { CopyCheckpoint, LogEntry } from './store.ts';
