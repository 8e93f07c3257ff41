import { NICKNAME_MAX_CHARS } from '@roundtrip/protocol';
import unhomoglyph from 'unhomoglyph';

/**
 * Characters a nickname may not hold (SPEC ROOM-2): control characters (Cc), format
 * characters (Cf: the bidirectional overrides and isolates, zero-width spaces and
 * joiners, the soft hyphen), line and paragraph separators, private-use and
 * unassigned code points. Each would let one name pass for another, or reorder the
 * text around it on other players' screens.
 */
const REFUSED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/** A nickname as shown, or why it was refused. */
export type NicknameCheck = { ok: true; nickname: string } | { ok: false; message: string };

/**
 * Normalises a typed nickname: NFKC (full-width and styled letters become plain
 * ones), spaces trimmed; refuses the characters in REFUSED, naming the first one.
 */
export function normaliseNickname(typed: string): NicknameCheck {
  const nickname = typed.normalize('NFKC').trim();
  const bad = REFUSED.exec(nickname)?.[0];
  if (bad !== undefined) {
    const code = `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      ok: false,
      message: `the nickname holds an invisible or control character (${code}); type it again with letters, digits and spaces only`,
    };
  }
  if (nickname.length === 0) return { ok: false, message: 'a nickname is needed' };
  if ([...nickname].length > NICKNAME_MAX_CHARS)
    return { ok: false, message: `at most ${NICKNAME_MAX_CHARS} characters` };
  return { ok: true, nickname };
}

/**
 * The form two nicknames are compared in (SPEC ROOM-2): lower case, then the
 * Unicode confusables skeleton (UTS #39, via unhomoglyph), so that Cyrillic
 * "Аlice", "ALICE" and "alice" are one name. Not meant to be shown.
 */
export function nicknameSkeleton(nickname: string): string {
  return unhomoglyph(nickname.normalize('NFKC').toLowerCase().normalize('NFD'))
    .normalize('NFD')
    .toLowerCase();
}
