import { describe, expect, it } from 'vitest';
import {
  bucketsBetween,
  bucketsOf,
  countAbove,
  histogramQuantile,
  seriesOf,
  slopePerMinute,
  total,
} from './loadStats.ts';

const TEXT = `# HELP roundtrip_rooms Class rooms open in this process, by phase.
# TYPE roundtrip_rooms gauge
roundtrip_rooms{phase="lobby"} 1
roundtrip_rooms{phase="running"} 4
roundtrip_rooms_other 99
roundtrip_players 160
roundtrip_tick_duration_seconds_bucket{le="0.001"} 10
roundtrip_tick_duration_seconds_bucket{le="0.002"} 90
roundtrip_tick_duration_seconds_bucket{le="+Inf"} 100
roundtrip_tick_duration_seconds_sum 0.15
roundtrip_tick_duration_seconds_count 100
`;

describe('reading /metrics', () => {
  it('finds a metric’s series with their labels, and no other metric’s', () => {
    expect(seriesOf(TEXT, 'roundtrip_rooms')).toEqual([
      { labels: { phase: 'lobby' }, value: 1 },
      { labels: { phase: 'running' }, value: 4 },
    ]);
    expect(total(TEXT, 'roundtrip_rooms')).toBe(5);
    expect(total(TEXT, 'roundtrip_players')).toBe(160);
    expect(total(TEXT, 'roundtrip_kicks_total')).toBe(0);
  });

  it('reads a histogram’s buckets in order, +Inf last', () => {
    expect(bucketsOf(TEXT, 'roundtrip_tick_duration_seconds')).toEqual([
      { le: 0.001, count: 10 },
      { le: 0.002, count: 90 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ]);
  });
});

describe('histogramQuantile', () => {
  const b = [
    { le: 1, count: 10 },
    { le: 2, count: 90 },
    { le: Number.POSITIVE_INFINITY, count: 100 },
  ];

  it('interpolates within the bucket that holds the rank, from 0 in the first', () => {
    expect(histogramQuantile(b, 0.05)).toBeCloseTo(0.5);
    expect(histogramQuantile(b, 0.5)).toBeCloseTo(1.5);
  });

  it('answers the highest finite bound in the +Inf bucket, NaN with nothing counted', () => {
    expect(histogramQuantile(b, 0.99)).toBe(2);
    expect(histogramQuantile([{ le: 1, count: 0 }], 0.5)).toBeNaN();
  });

  it('works on an interval: the difference of two readings', () => {
    const later = b.map((x) => ({ ...x, count: x.count + 100 }));
    const between = bucketsBetween(b, later);
    expect(between.map((x) => x.count)).toEqual([100, 100, 100]);
    expect(histogramQuantile(between, 0.5)).toBeCloseTo(0.5);
    expect(countAbove(b, 2)).toBe(10);
  });
});

describe('slopePerMinute', () => {
  it('is the least-squares trend per minute', () => {
    expect(slopePerMinute([0, 10, 20, 30].map((tS) => ({ tS, value: 100 + tS / 2 })))).toBeCloseTo(30);
    expect(slopePerMinute([{ tS: 0, value: 1 }])).toBeNaN();
  });
});
