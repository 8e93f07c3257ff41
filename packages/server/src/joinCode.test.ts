import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, joinCode } from '@roundtrip/protocol';
import { describe, expect, it } from 'vitest';
import { randomJoinCode } from './joinCode.ts';

describe('randomJoinCode (SPEC ROOM-1)', () => {
  it('is JOIN_CODE_LENGTH characters of the alphabet and passes the protocol check', () => {
    for (let i = 0; i < 500; i++) {
      const code = randomJoinCode();
      expect(code).toHaveLength(JOIN_CODE_LENGTH);
      for (const ch of code) expect(JOIN_CODE_ALPHABET).toContain(ch);
      expect(joinCode.safeParse(code).success).toBe(true);
    }
  });

  it('varies: 200 codes are nearly all distinct', () => {
    const codes = new Set(Array.from({ length: 200 }, randomJoinCode));
    expect(codes.size).toBeGreaterThan(195);
  });
});
