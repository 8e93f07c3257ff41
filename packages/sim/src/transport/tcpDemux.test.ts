import { describe, expect, it } from 'vitest';
import { createRng, nextU32 } from '../engine/rng.ts';
import type { TcpConn } from '../engine/state.ts';
import { TcpDemux } from './tcpDemux.ts';

const conn = (id: number, node: number, localPort: number, peerAddr: number, peerPort: number) =>
  ({ id, node, localPort, peerAddr, peerPort }) as TcpConn;

const idOf = (c: TcpConn | undefined) => c?.id;

describe('TCP demultiplexing by 4-tuple — SPEC TCP-DEMUX-1', () => {
  it('tells apart connections that share all but one of node, local port, peer address and peer port', () => {
    const index = new TcpDemux();
    const high = 0xc0a80001; // 192.168.0.1: above int32, so unsigned arithmetic matters
    const conns = [
      conn(1, 3, 80, 0x0a010010, 49152),
      conn(2, 3, 80, 0x0a010010, 49153),
      conn(3, 3, 80, high, 49152),
      conn(4, 4, 80, 0x0a010010, 49152),
      conn(5, 3, 81, 0x0a010010, 49152),
    ];
    for (const c of conns) index.set(c);
    for (const c of conns) expect(idOf(index.get(c.node, c.localPort, c.peerAddr, c.peerPort))).toBe(c.id);
    expect(idOf(index.get(3, 80, high | 0, 49152))).toBe(3); // a signed view of the same address
    index.delete(conns[0] as TcpConn);
    expect(index.get(3, 80, 0x0a010010, 49152)).toBeUndefined();
    expect(idOf(index.get(3, 80, 0x0a010010, 49153))).toBe(2);
  });

  it('agrees with a map of 4-tuples through growth and thousands of deletions', () => {
    const index = new TcpDemux();
    const reference = new Map<string, TcpConn>();
    const key = (c: TcpConn) => `${c.node}:${c.localPort}:${c.peerAddr}:${c.peerPort}`;
    const rng = createRng(42, 9);
    let nextId = 1;
    for (let step = 0; step < 20_000; step++) {
      // Few nodes, addresses and ports, so probe runs collide and deletions shift entries.
      const c = conn(
        nextId++,
        nextU32(rng) % 8,
        nextU32(rng) % 2 ? 80 : 49152 + (nextU32(rng) % 64),
        0x0a000000 + (nextU32(rng) % 16),
        nextU32(rng) % 2 ? 80 : 49152 + (nextU32(rng) % 64),
      );
      const existing = reference.get(key(c));
      if (existing) {
        index.delete(existing);
        reference.delete(key(c));
      } else if (reference.size < 3_000) {
        index.set(c);
        reference.set(key(c), c);
      }
      if (step % 997 === 0)
        for (const r of reference.values())
          expect(index.get(r.node, r.localPort, r.peerAddr, r.peerPort)).toBe(r);
    }
    for (const r of reference.values())
      expect(index.get(r.node, r.localPort, r.peerAddr, r.peerPort)).toBe(r);
    expect(index.get(99, 80, 0x0a000001, 80)).toBeUndefined();
  });

  it('refuses a second entry for a 4-tuple already present, the same connection or another — SPEC SIM-6', () => {
    const index = new TcpDemux();
    const first = conn(1, 3, 80, 0xc0a80001, 49152);
    index.set(first);
    expect(() => index.set(first)).toThrow(/one TCP connection/); // SPEC SIM-6
    // Same key, another object (the peer address as a signed int32: the same address).
    expect(() => index.set(conn(2, 3, 80, 0xc0a80001 | 0, 49152))).toThrow(/one TCP connection/); // SPEC SIM-6
    expect(index.get(3, 80, 0xc0a80001, 49152)).toBe(first);
    index.delete(first);
    index.set(conn(3, 3, 80, 0xc0a80001, 49152)); // free again once deleted
    expect(idOf(index.get(3, 80, 0xc0a80001, 49152))).toBe(3);
  });
});
