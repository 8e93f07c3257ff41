import { conceptFor } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { resultsCsv } from './history.ts';
import { lessonScenario } from './scenarios.ts';
import type { FinishedRound } from './store.ts';

const round: FinishedRound = {
  code: 'ABCDE',
  hostKeyHash: 'h',
  scenarioId: 'lesson-1-postal',
  lesson: 1,
  title: 'The postal service',
  seed: 1,
  startedAtMs: 0,
  endedAtMs: 1,
  simTimeUs: 1,
  durationUs: 1,
  shareKey: null,
  copies: [],
  players: [
    {
      rank: 1,
      nickname: 'Ann, "A"',
      copy: 0,
      node: 'r-west',
      role: 'router',
      score: 12,
      teamScore: 30,
      left: false,
    },
    {
      rank: 2,
      nickname: '=cmd()',
      copy: 1,
      node: 'r-east',
      role: 'router',
      score: -4,
      teamScore: 8,
      left: true,
    },
  ],
  teams: [
    { copy: 0, name: '', rank: 1, score: 30, completed: 40, failed: 2 },
    { copy: 1, name: '', rank: 2, score: 8, completed: 20, failed: 9 },
  ],
  failures: [
    {
      copy: 1,
      unit: 'request',
      reason: 'ttl-expired',
      place: 'l-loop',
      placeLabel: 'West – East link',
      role: 'link',
      count: 9,
    },
  ],
};

/** The lesson's own sentences win over the defaults (SPEC DEBRIEF-2). */
const lesson1 = lessonScenario('lesson-1-postal').scenario.file;
const csvText = (t: string) => (/[",]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);

describe('results as CSV (SPEC PERSIST-2, DEBRIEF-4)', () => {
  it('PERSIST-2, DEBRIEF-4: players, teams and failures with place, role and concept; fields quoted; formulas defused', () => {
    expect(resultsCsv(round).split('\r\n')).toEqual([
      'rank,nickname,team,node,role,score,team score,left early',
      '1,"Ann, ""A""",1,r-west,router,12,30,no',
      "2,'=cmd(),2,r-east,router,-4,8,yes",
      '',
      'team,score,completed,failed,name,rank',
      '1,30,40,2,,1',
      '2,8,20,9,,2',
      '',
      'team,failure,count,unit,place,place id,role,concept',
      `2,ttl-expired,9,request,West – East link,l-loop,link,${csvText(conceptFor('ttl-expired', lesson1.debrief))}`,
      '',
    ]);
  });
});
