import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import { LANE_FRAME, LANE_TICK, R_FLOW, R_STATUS, R_UNIT, RecordLanes } from './recordLanes.ts';

/** Appends like the simulation: now only grows, seq counts up, t = now + delay; the record's flow field = its tag. */
function schedule(lanes: RecordLanes, plan: { nowUs: number; delayUs: number; tag: number }[]): number[] {
  return plan.map(({ nowUs, delayUs, tag }, seq) => {
    const lane = lanes.laneFor(LANE_TICK, delayUs);
    const recordSeq = lanes.append(lane, nowUs + delayUs, seq, delayUs);
    lanes.ints(lane)[lanes.recordAt(lane, recordSeq) + R_FLOW] = tag;
    return recordSeq;
  });
}

function drain(lanes: RecordLanes): number[] {
  const out: number[] = [];
  while (lanes.peekTimeUs() < Number.POSITIVE_INFINITY) {
    const lane = lanes.topLane();
    out.push(lanes.ints(lane)[lanes.headAt(lane) + R_FLOW] as number);
    lanes.pop();
  }
  return out;
}

describe('record lanes — SPEC SIM-2', () => {
  it('give records in (t, s) order across lanes, ties by sequence, through ring growth', () => {
    // Three delays interleaved over time, 150 records per lane (the first ring holds 64).
    const plan = Array.from({ length: 450 }, (_, k) => ({
      nowUs: k * 10,
      delayUs: [300, 200, 100][k % 3] as number,
      tag: k,
    }));
    const lanes = new RecordLanes();
    schedule(lanes, plan);
    const expected = plan
      .map((p, seq) => ({ t: p.nowUs + p.delayUs, seq, tag: p.tag }))
      .sort((a, b) => a.t - b.t || a.seq - b.seq)
      .map((e) => e.tag);
    expect(lanes.size()).toBe(450);
    expect(drain(lanes)).toEqual(expected);
  });

  it('finds a record by its sequence number while it lives, across growth, and never after', () => {
    const lanes = new RecordLanes();
    const lane = lanes.laneFor(LANE_FRAME, 300);
    const seqs = Array.from({ length: 200 }, (_, k) => {
      const recordSeq = lanes.append(lane, 300 + k, k, 300);
      lanes.ints(lane)[lanes.recordAt(lane, recordSeq) + R_UNIT] = 1000 + k;
      return recordSeq;
    });
    for (let k = 0; k < 50; k++) lanes.pop();
    expect(lanes.recordAt(lane, seqs[49] as number)).toBe(-1);
    expect(lanes.recordAt(lane, 200)).toBe(-1); // not made yet
    for (let k = 50; k < 200; k++) expect(lanes.ints(lane)[lanes.recordAt(lane, k) + R_UNIT]).toBe(1000 + k);
    expect(lanes.laneFor(LANE_TICK, 300)).not.toBe(lane); // a tick lane of the same delay is its own
  });

  it("keeps a frame's delivered bit beside the ring, through growth, and as bit 0 of its status in plain form", () => {
    const lanes = new RecordLanes();
    const lane = lanes.laneFor(LANE_FRAME, 300);
    for (let k = 0; k < 40; k++) {
      const recordSeq = lanes.append(lane, 300 + k, k, 300);
      lanes.ints(lane)[lanes.recordAt(lane, recordSeq) + R_STATUS] = (k % 4) << 1; // a loss reason
      if (k % 3 === 0) lanes.markDelivered(lane, recordSeq);
    }
    for (let k = 0; k < 10; k++) lanes.pop();
    // 100 more: the ring (64 at first) grows with 30 records live and wrapped.
    for (let k = 40; k < 140; k++) lanes.append(lane, 300 + k, k, 300);
    for (let k = 10; k < 40; k++) expect(lanes.isDelivered(lane, k), `record ${k}`).toBe(k % 3 === 0);
    expect(lanes.isDelivered(lane, 100)).toBe(false);
    expect(lanes.headDelivered(lane)).toBe(false); // record 10
    const plain = lanes.toPlain()[lane];
    const per = (plain?.records.length ?? 0) / 130;
    const statusOf = (k: number) => plain?.records[(k - 10) * per + 2 + R_STATUS - R_FLOW];
    for (let k = 10; k < 40; k++) expect(statusOf(k)).toBe(((k % 4) << 1) | (k % 3 === 0 ? 1 : 0));
    const back = RecordLanes.fromPlain(lanes.toPlain());
    expect(back.toPlain()).toEqual(lanes.toPlain());
    for (let k = 10; k < 40; k++) {
      expect(back.isDelivered(lane, k)).toBe(k % 3 === 0);
      expect(back.ints(lane)[back.recordAt(lane, k) + R_STATUS]).toBe((k % 4) << 1);
    }
  });

  it('round-trip through plain data: the same records, the same order, the same sequence numbers', () => {
    const plan = Array.from({ length: 100 }, (_, k) => ({
      nowUs: k * 7,
      delayUs: k % 2 ? 500 : 350,
      tag: k,
    }));
    const lanes = new RecordLanes();
    schedule(lanes, plan);
    for (let k = 0; k < 30; k++) lanes.pop();
    const back = RecordLanes.fromPlain(lanes.toPlain());
    expect(back.toPlain()).toEqual(lanes.toPlain());
    const lane = lanes.laneFor(LANE_TICK, 500);
    expect(back.recordAt(lane, 40)).toBe(lanes.recordAt(lane, 40));
    expect(drain(back)).toEqual(drain(lanes));
  });

  it('keep a simulation’s frames and ticks through snapshot and restore, with losses recorded — SPEC SIM-5', () => {
    const call = {
      id: 'c',
      kind: 'udp',
      from: 'h-a',
      to: 'h-b',
      startS: 0,
      intervalMs: 40,
      frameBytes: 100,
      deadlineMs: 500,
    };
    const sc = loadScenario(lineScenario({ traffic: [call], loss: 0.3 }), 'lanes.json');
    const a = new Simulation(sc, 9);
    const lost: string[] = [];
    a.onRecord((r) => {
      if (r.k === 'frameLost') lost.push(r.reason);
    });
    a.advanceTo(1_234_567);
    expect(a.st.wire.records.size()).toBeGreaterThan(10);
    const b = new Simulation(sc, 9);
    b.restore(a.snapshot());
    expect(b.stateHash()).toBe(a.stateHash());
    a.advanceTo(3_000_000);
    b.advanceTo(3_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
    expect(new Set(lost)).toEqual(new Set(['link-loss'])); // the loss reason reached the record
  });

  it('refuse a record whose delay is not its lane’s (the ring would leave (t, s) order) — SPEC SIM-6', () => {
    const lanes = new RecordLanes();
    const lane = lanes.laneFor(LANE_FRAME, 300);
    lanes.append(lane, 300, 0, 300);
    expect(() => lanes.append(lane, 1 + 200, 1, 200)).toThrow(/lane of its own delay/); // SPEC SIM-6
    expect(lanes.size()).toBe(1);
  });
});
