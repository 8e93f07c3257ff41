/** The state as bytes and back (SPEC SIM-4, SIM-5): msgpack of one plain object, typed arrays as plain lists. */
import { Packr } from 'msgpackr';
import { assert } from '../engine/core.ts';
import type { LinkDirState, LinkState, SimState } from '../engine/state.ts';
import { type PlainWire, wireFromPlain, wireToPlain } from '../engine/wire.ts';
import { type PlainPending, pendingFromPlain, pendingToPlain } from '../link/queueing.ts';

// Plain msgpack without record extensions: the same bytes in Node and the browser.
const packr = new Packr({ useRecords: false, moreTypes: false });

/**
 * The snapshot's layout. Bump it whenever the state's shape changes (a field added,
 * renamed or re-meant): a checkpoint saved by an older server is then known as such and
 * its room is rebuilt from the round's log instead (SPEC PERSIST-4). Snapshots before
 * this number existed read as format 1.
 */
export const SNAPSHOT_FORMAT = 2;

/** A snapshot of another layout than this simulation's (SNAPSHOT_FORMAT). */
export class SnapshotFormatError extends Error {
  readonly format: number;
  constructor(format: number) {
    super(`a snapshot of format ${format}; this simulation reads format ${SNAPSHOT_FORMAT}`);
    this.name = 'SnapshotFormatError';
    this.format = format;
  }
}

/** The whole state as msgpack bytes. */
export function snapshotBytes(st: SimState): Uint8Array {
  const nowUs = st.nowUs;
  return packr.pack({
    format: SNAPSHOT_FORMAT,
    ...st,
    links: st.links.map((l) => linkToPlain(l, nowUs)),
    wire: wireToPlain(st.wire, nowUs),
  });
}

/** A state from snapshot bytes; `wheelSpanUs` is the scenario's (initialState.ts). Throws SnapshotFormatError for another layout's. */
export function stateFromBytes(bytes: Uint8Array, wheelSpanUs: number): SimState {
  const { format = 1, ...plain } = packr.unpack(bytes) as Omit<SimState, 'wire' | 'links'> & {
    format?: number;
    wire: PlainWire;
    links: PlainLink[];
  };
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(format);
  return {
    ...plain,
    links: plain.links.map(linkFromPlain),
    wire: wireFromPlain(plain.wire, plain.nowUs, wheelSpanUs),
  };
}

/** A link in a snapshot: its interfaces' committed packets as plain lists (typed arrays are not msgpack data here). */
type PlainLink = Omit<LinkState, 'dirs'> & {
  dirs: (Omit<LinkDirState, 'pending' | 'newestBytes'> & { pending: PlainPending })[];
};

function linkToPlain(l: LinkState, nowUs: number): PlainLink {
  return {
    ...l,
    dirs: l.dirs.map((d) => {
      // The newest committed packet goes in the list with the others (canonical: one representation).
      const { newestBytes: _inList, ...rest } = d;
      return { ...rest, pending: pendingToPlain(d, nowUs) };
    }),
  };
}

function linkFromPlain(l: PlainLink): LinkState {
  const [a, b] = l.dirs.map((d) => ({ ...d, ...pendingFromPlain(d.pending, d.busyUntilUs) }));
  assert(a !== undefined && b !== undefined, 'a link has two directions');
  return { ...l, dirs: [a, b] };
}
