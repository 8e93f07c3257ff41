import { CloseCode } from '@colyseus/core';
import { describe, expect, it } from 'vitest';
import { closeReasonFor, defaultCloseReason, withCloseReasons } from './closeReasons.ts';

function socket() {
  const closes: [number | undefined, string | undefined][] = [];
  const s = {
    close(code?: number, reason?: string | Buffer) {
      closes.push([code, reason?.toString()]);
    },
  };
  withCloseReasons(s);
  return { s, closes };
}

describe('close reasons (SPEC MSG-5)', () => {
  it('MSG-5: a close with only a code gets its sentence; one with a reason keeps it', () => {
    const { s, closes } = socket();
    s.close(1009);
    s.close(CloseCode.WITH_ERROR, 'kicked: because');
    expect(closes).toEqual([
      [1009, defaultCloseReason(1009)],
      [CloseCode.WITH_ERROR, 'kicked: because'],
    ]);
    expect(defaultCloseReason(1009)).toMatch(/too large/);
  });

  it('MSG-5: a reason set for a socket is used on its next close, cut to the 123 bytes a close frame holds', () => {
    const { s, closes } = socket();
    closeReasonFor(s, 'x'.repeat(200));
    s.close(CloseCode.WITH_ERROR);
    expect(closes[0]?.[1]).toHaveLength(123);
  });

  it('MSG-5: every code the server closes with has a sentence', () => {
    for (const code of [
      1009,
      CloseCode.SERVER_SHUTDOWN,
      CloseCode.WITH_ERROR,
      CloseCode.FAILED_TO_RECONNECT,
      CloseCode.MAY_TRY_RECONNECT,
    ])
      expect(defaultCloseReason(code)).toMatch(/\w+ \w+/);
  });
});
