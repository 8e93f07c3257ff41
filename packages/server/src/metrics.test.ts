import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics.ts';

function req(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('who may read /metrics (SPEC OPS-1)', () => {
  it('OPS-1: this machine by default; another address is forbidden', () => {
    expect(metricsAccess(req('127.0.0.1'), {})).toBe('ok');
    expect(metricsAccess(req('::1'), {})).toBe('ok');
    expect(metricsAccess(req('192.0.2.7'), {})).toBe('forbidden');
    expect(metricsAccess(req('192.0.2.7'), { METRICS: 'open' })).toBe('ok');
  });

  it('OPS-1: a request forwarded by a trusted proxy on this machine is not local', () => {
    expect(metricsAccess(req('127.0.0.1', { 'x-forwarded-for': '192.0.2.7' }), { TRUST_PROXY: '1' })).toBe(
      'forbidden',
    );
  });

  it('OPS-1: with a token, its bearer from anywhere, and nobody else', () => {
    const env = { METRICS_TOKEN: 's3cret' };
    expect(metricsAccess(req('192.0.2.7', { authorization: 'Bearer s3cret' }), env)).toBe('ok');
    expect(metricsAccess(req('127.0.0.1'), env)).toBe('forbidden');
    expect(metricsAccess(req('127.0.0.1', { authorization: 'Bearer s3cre' }), env)).toBe('forbidden');
    expect(metricsAccess(req('127.0.0.1'), { METRICS: 'off' })).toBe('off');
  });
});
