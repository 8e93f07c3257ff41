import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { classOrigin, lanAddresses } from './publicAddress.ts';

const iface = (address: string, internal = false): NetworkInterfaceInfo =>
  ({
    address,
    family: 'IPv4',
    internal,
    netmask: '255.255.255.0',
    mac: '00:00:00:00:00:00',
    cidr: null,
  }) as NetworkInterfaceInfo;
const machine = {
  lo: [iface('127.0.0.1', true)],
  docker0: [iface('172.17.0.1')],
  wlan0: [iface('169.254.3.4'), iface('192.168.1.23')],
  tun0: [iface('100.64.0.7')],
};

describe('the address a class can reach (SPEC CLASS-1)', () => {
  it('CLASS-1: a page loaded from localhost gets the machine’s LAN address on the same port', () => {
    expect(lanAddresses(machine)).toEqual(['192.168.1.23', '100.64.0.7']);
    expect(
      classOrigin({
        publicUrl: undefined,
        requestHost: 'localhost:2567',
        protocol: 'http',
        interfaces: machine,
      }),
    ).toBe('http://192.168.1.23:2567');
    expect(
      classOrigin({ publicUrl: '', requestHost: '127.0.0.1:5173', protocol: 'http', interfaces: machine }),
    ).toBe('http://192.168.1.23:5173');
  });

  it('CLASS-1: PUBLIC_URL wins; an address others can already reach is kept', () => {
    expect(
      classOrigin({
        publicUrl: 'https://play.school.example/x',
        requestHost: 'localhost:2567',
        protocol: 'http',
        interfaces: machine,
      }),
    ).toBe('https://play.school.example');
    expect(
      classOrigin({
        publicUrl: undefined,
        requestHost: '10.0.0.5:2567',
        protocol: 'http',
        interfaces: machine,
      }),
    ).toBe('http://10.0.0.5:2567');
  });

  it('CLASS-1: a machine with no network gives no address rather than localhost', () => {
    expect(
      classOrigin({
        publicUrl: undefined,
        requestHost: 'localhost:2567',
        protocol: 'http',
        interfaces: { lo: machine.lo },
      }),
    ).toBeNull();
  });
});
