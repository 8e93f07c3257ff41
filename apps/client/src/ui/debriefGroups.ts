import type { RoundFailure } from '@roundtrip/protocol';
import { FAILURE_REASON_TEXT } from '@roundtrip/sim';

/** What failed, as counted: frames, requests, page loads, lookups (never packets). */
export type UnitCounts = Record<string, number>;

/** One line of a debrief group: a reason, a place or a role, with what failed there. */
export interface FailureLine {
  /** The reason, place id or role kind the line is about. */
  key: string;
  label: string;
  total: number;
  units: UnitCounts;
  /** The reasons inside, biggest first (a reason line has only its own). */
  reasons: { reason: string; count: number }[];
}

/** The round's failures three ways (SPEC DEBRIEF-1): by reason, by place and by role. */
export interface FailureGroups {
  byReason: FailureLine[];
  byPlace: FailureLine[];
  byRole: FailureLine[];
}

/** Words for a failure reason. */
export function reasonText(reason: string): string {
  return (FAILURE_REASON_TEXT as Record<string, string>)[reason] ?? reason;
}

const ROLE_TEXT: Record<string, string> = {
  router: 'Routers',
  resolver: 'DNS resolvers',
  host: 'Hosts (clients and servers)',
  link: 'Links (the wire itself)',
};

/** Words for what stood at a place. */
export function roleText(role: string): string {
  return ROLE_TEXT[role] ?? (role ? role : 'Somewhere on the path');
}

/** "12 requests, 3 frames": a line's counts by unit, biggest first. */
export function unitsText(units: UnitCounts): string {
  return Object.entries(units)
    .sort((a, b) => b[1] - a[1])
    .map(([unit, n]) => `${n} ${plural(unit || 'failure', n)}`)
    .join(', ');
}

function plural(unit: string, n: number): string {
  if (n === 1) return unit;
  return unit === 'lookup' ? 'lookups' : `${unit}s`;
}

/**
 * Groups failures (of the teams `copies` keeps, all when null) by reason, by place and
 * by role; each list biggest first, ties by label. Rounds saved before places were
 * kept have one "somewhere" place.
 */
export function groupFailures(
  failures: readonly RoundFailure[],
  copies: number[] | null = null,
): FailureGroups {
  const kept = failures.filter((f) => copies === null || copies.includes(f.copy));
  return {
    byReason: lines(kept, (f) => [f.reason, reasonText(f.reason)]),
    byPlace: lines(kept, (f) => [f.place, f.placeLabel || 'somewhere (not recorded)']),
    byRole: lines(kept, (f) => [f.role, roleText(f.role)]),
  };
}

function lines(failures: readonly RoundFailure[], by: (f: RoundFailure) => [string, string]): FailureLine[] {
  const out = new Map<string, FailureLine & { byReason: Map<string, number> }>();
  for (const f of failures) {
    const [key, label] = by(f);
    let line = out.get(key);
    if (!line) {
      line = { key, label, total: 0, units: {}, reasons: [], byReason: new Map() };
      out.set(key, line);
    }
    line.total += f.count;
    line.units[f.unit] = (line.units[f.unit] ?? 0) + f.count;
    line.byReason.set(f.reason, (line.byReason.get(f.reason) ?? 0) + f.count);
  }
  return [...out.values()]
    .map(({ byReason, ...line }) => ({
      ...line,
      reasons: [...byReason.entries()]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}
