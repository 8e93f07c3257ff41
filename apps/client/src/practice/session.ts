import { type ClientMessage, type ClientMessageType, TICK_MS } from '@roundtrip/protocol';
import type { GameSession } from '../net/gameSession.ts';
import { Replica } from '../net/replica.ts';
import { seatName } from '../panels/index.ts';
import { showToast } from '../ui/toast.ts';
import { ReactiveHints } from './hints.ts';
import { LocalRound, PRACTICE_PLAYER_ID, type PracticeSetup } from './localRound.ts';
import { CHECKPOINT_EVERY_US, type Checkpoint } from './replayPlayer.ts';

/** Wall ms between ticks: the rate a class room ticks at. */

/**
 * A practice round in this page (SPEC PRAC-2), offered to the round screen as a
 * GameSession: the LocalRound's state, a replica that draws its simulation, and
 * messages checked and queued locally. Ticks on a timer at the class room's rate;
 * keeps checkpoints for the replay's timeline (SPEC PRAC-6) and the reactive hints (PRAC-7).
 */
export class PracticeSession implements GameSession {
  readonly role = 'player' as const;
  readonly sessionId = PRACTICE_PLAYER_ID;
  readonly round: LocalRound;
  readonly replica: Replica;
  readonly hints: ReactiveHints;
  /** The copy as it was every CHECKPOINT_EVERY_US of simulated time, from the start. */
  readonly checkpoints: Checkpoint[] = [];
  /** Called once when the round has ended. */
  onEnded: () => void = () => {};
  private readonly anchors = new Map<string, HTMLElement>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private nextCheckpointUs = 0;
  private endedSaid = false;

  constructor(setup: PracticeSetup) {
    this.round = new LocalRound(setup);
    const sc = setup.scenario;
    this.replica = new Replica({ scenario: sc, copy: 0, requestResync: () => {} });
    this.replica.adopt(this.round.copy.sim, this.round.copy.tick, performance.now());
    const label = sc.file.nodes.find((n) => n.id === setup.node)?.label;
    this.hints = new ReactiveHints(
      sc,
      setup.node,
      `your ${seatName(this.round.seat.role, setup.node, label)}`,
    );
    this.replica.onRecord((r) => this.hints.add(r, this.replica.sim));
    this.round.onRefused = (r) => showToast(r.error, this.anchors.get(r.request) ?? null, 'error');
    this.checkpoint();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  get state() {
    return this.round.state;
  }

  send<T extends ClientMessageType>(type: T, payload: ClientMessage<T>, anchor?: HTMLElement | null): void {
    if (anchor) this.anchors.set(type, anchor);
    const refused = this.round.send(type, payload);
    if (refused !== null) showToast(refused, anchor ?? null, 'error');
  }

  /** Stops the clock; the round is left as it is. */
  leave(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** While paused: one tick at the current speed, or one simulated second (SPEC PRAC-3). */
  step(by: 'tick' | 'second'): void {
    this.round.stepBy(by === 'second' ? 1_000_000 : this.round.tickUs);
    this.afterTick();
  }

  private tick(): void {
    this.round.tick(TICK_MS);
    this.afterTick();
  }

  private afterTick(): void {
    const copy = this.round.copy;
    this.replica.ticked(copy.tick, performance.now());
    if (copy.sim.nowUs >= this.nextCheckpointUs) this.checkpoint();
    if (this.state.phase === 'ended' && !this.endedSaid) {
      this.endedSaid = true;
      this.leave();
      this.onEnded();
    }
  }

  private checkpoint(): void {
    const copy = this.round.copy;
    this.checkpoints.push({ atUs: copy.sim.nowUs, checkpoint: copy.checkpoint() });
    this.nextCheckpointUs = copy.sim.nowUs + CHECKPOINT_EVERY_US;
  }
}
