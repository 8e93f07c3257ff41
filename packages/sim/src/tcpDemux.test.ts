import { describe, expect, it } from 'vitest';
import type { TcpConn } from './state.ts';
import { TcpDemux } from './tcpConn.ts';

const conn = (id: number, node: number, localPort: number, peerAddr: number, peerPort: number) =>
  ({ id, node, localPort, peerAddr, peerPort }) as TcpConn;

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
    for (const c of conns) expect(index.get(c.node, c.localPort, c.peerAddr, c.peerPort)).toBe(c.id);
    expect(index.get(3, 80, high | 0, 49152)).toBe(3); // a signed view of the same address
    index.delete(conns[0] as TcpConn);
    expect(index.get(3, 80, 0x0a010010, 49152)).toBeUndefined();
    expect(index.get(3, 80, 0x0a010010, 49153)).toBe(2);
  });
});
