import { describe, expect, it } from 'vitest';
import { nicknameSkeleton, normaliseNickname } from './nickname.ts';

describe('nicknames (SPEC ROOM-2)', () => {
  it('ROOM-2: NFKC-normalises and trims', () => {
    expect(normaliseNickname('  Ｂｏｂ ')).toEqual({ ok: true, nickname: 'Bob' });
    expect(normaliseNickname('ﬁnn')).toEqual({ ok: true, nickname: 'finn' });
    expect(normaliseNickname('Zoë')).toEqual({ ok: true, nickname: 'Zoë' });
  });

  it('ROOM-2: refuses control, bidi and zero-width characters, naming the code point', () => {
    for (const [name, code] of [
      ['Ann\u0007', 'U+0007'],
      ['evil\u202Egnp.exe', 'U+202E'],
      ['a\u2066b\u2069', 'U+2066'],
      ['Al\u200Bice', 'U+200B'],
      ['Bo\uFEFFb', 'U+FEFF'],
      ['x\u2028y', 'U+2028'],
    ] as const) {
      const r = normaliseNickname(name);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(code);
    }
    expect(normaliseNickname('   ')).toEqual({ ok: false, message: 'a nickname is needed' });
    expect(normaliseNickname('x'.repeat(21)).ok).toBe(false);
  });

  it('ROOM-2: look-alikes share a skeleton; different names do not', () => {
    expect(nicknameSkeleton('\u0410lice')).toBe(nicknameSkeleton('Alice')); // Cyrillic А
    expect(nicknameSkeleton('ALICE')).toBe(nicknameSkeleton('alice'));
    expect(nicknameSkeleton('Ρaul')).toBe(nicknameSkeleton('Paul')); // Greek Ρ
    expect(nicknameSkeleton('Alice')).not.toBe(nicknameSkeleton('Alicia'));
  });
});
