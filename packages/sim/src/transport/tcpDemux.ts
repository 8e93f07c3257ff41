/**
 * TCP demultiplexing (SPEC TCP-DEMUX-1): the connection whose node, local port, peer
 * address and peer port match a segment. Derived from state and rebuilt on restore.
 *
 * An open-addressing table (linear probing) of the connections themselves, hashed on
 * the 4-tuple and node: a lookup is arithmetic and a probe or two, and the entry it
 * finds is the object the caller reads next anyway. (String keys per segment cost a
 * concatenation, its hashing and garbage; nested maps with a 48-bit number key cost
 * two hash lookups and a boxed number.)
 */
import { assert } from '../engine/core.ts';
import type { TcpConn } from '../engine/state.ts';

const FIRST_CELLS = 256;

export class TcpDemux {
  private cells: (TcpConn | undefined)[] = new Array(FIRST_CELLS).fill(undefined);
  private shift = 32 - Math.log2(FIRST_CELLS);
  private count = 0;

  get(node: number, localPort: number, peerAddr: number, peerPort: number): TcpConn | undefined {
    const mask = this.cells.length - 1;
    for (let i = cellOf(node, localPort, peerAddr, peerPort, this.shift); ; i = (i + 1) & mask) {
      const c = this.cells[i];
      if (c === undefined) return undefined;
      if (
        c.localPort === localPort &&
        c.peerPort === peerPort &&
        c.node === node &&
        c.peerAddr >>> 0 === peerAddr >>> 0
      )
        return c;
    }
  }

  /** Adds a connection (its 4-tuple at its node must be free). */
  set(c: TcpConn): void {
    if ((this.count + 1) * 2 > this.cells.length) this.resize(this.cells.length * 2);
    const mask = this.cells.length - 1;
    let i = cellOf(c.node, c.localPort, c.peerAddr, c.peerPort, this.shift);
    // The probe run passes every entry that could hold the same key. SPEC SIM-6: a second
    // entry for a key would shadow the first (or outlive it), and segments would reach
    // the wrong connection.
    for (let e = this.cells[i]; e !== undefined; i = (i + 1) & mask, e = this.cells[i])
      if (sameKey(e, c)) assert(false, 'a 4-tuple at a node has one TCP connection in the demux');
    this.cells[i] = c;
    this.count++;
  }

  /** Removes a connection (by identity); later entries of its probe run move back (no tombstones). */
  delete(c: TcpConn): void {
    const mask = this.cells.length - 1;
    let i = cellOf(c.node, c.localPort, c.peerAddr, c.peerPort, this.shift);
    for (; this.cells[i] !== c; i = (i + 1) & mask) if (this.cells[i] === undefined) return;
    this.cells[i] = undefined;
    this.count--;
    // Knuth's deletion for linear probing: refill the hole from the rest of the run.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const e = this.cells[j];
      if (e === undefined) return;
      const home = cellOf(e.node, e.localPort, e.peerAddr, e.peerPort, this.shift);
      // e may move into the hole unless its home lies cyclically in (i, j].
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      this.cells[i] = e;
      this.cells[j] = undefined;
      i = j;
    }
  }

  clear(): void {
    this.cells = new Array(FIRST_CELLS).fill(undefined);
    this.shift = 32 - Math.log2(FIRST_CELLS);
    this.count = 0;
  }

  private resize(cells: number): void {
    const old = this.cells;
    this.cells = new Array(cells).fill(undefined);
    this.shift = 32 - Math.log2(cells);
    this.count = 0;
    for (const c of old) if (c !== undefined) this.set(c);
  }
}

function sameKey(a: TcpConn, b: TcpConn): boolean {
  return (
    a.localPort === b.localPort &&
    a.peerPort === b.peerPort &&
    a.node === b.node &&
    a.peerAddr >>> 0 === b.peerAddr >>> 0
  );
}

/** A cell from the 4-tuple and node: mixed with odd multipliers, then the product's top bits. */
function cellOf(node: number, localPort: number, peerAddr: number, peerPort: number, shift: number): number {
  let h = Math.imul(peerAddr | 0, 0x9e3779b1);
  h = Math.imul(h ^ (peerPort + (localPort << 16)), 0x85ebca6b);
  h = Math.imul(h ^ node, 0xc2b2ae35);
  return (h ^ (h >>> 15)) >>> shift;
}
