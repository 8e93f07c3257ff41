import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress, parsePrefix, prefixContains } from './address.ts';

describe('addresses and prefixes', () => {
  it('round-trips dotted quads and rejects bad ones', () => {
    expect(formatAddress(parseAddress('10.1.2.3') as number)).toBe('10.1.2.3');
    expect(parseAddress('10.1.2.256')).toBeNull();
    expect(parseAddress('10.1.2')).toBeNull();
  });

  it('parses prefixes and refuses host bits — SPEC RT-2', () => {
    expect(parsePrefix('10.1.0.0/16')).toEqual({ networkAddr: 0x0a010000, lengthBits: 16 });
    expect(parsePrefix('0.0.0.0/0')).toEqual({ networkAddr: 0, lengthBits: 0 });
    expect(parsePrefix('10.1.0.1/16')).toBeNull();
    expect(parsePrefix('10.1.0.0/33')).toBeNull();
    const p = parsePrefix('192.168.4.0/22');
    expect(p && prefixContains(p, parseAddress('192.168.7.255') as number)).toBe(true);
    expect(p && prefixContains(p, parseAddress('192.168.8.0') as number)).toBe(false);
  });
});
