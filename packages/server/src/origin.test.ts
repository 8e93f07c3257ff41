import { describe, expect, it } from 'vitest';
import { originAllowed, originPolicy } from './origin.ts';

describe('origins (SPEC ROOM-10)', () => {
  const none = originPolicy('');
  it('ROOM-10: its own pages and requests without Origin pass; other sites do not', () => {
    expect(originAllowed('http://class.local:2567', 'class.local:2567', none)).toBe(true);
    expect(originAllowed('https://class.example.org', 'class.example.org', none)).toBe(true); // TLS ended by a proxy
    expect(originAllowed(undefined, 'class.local:2567', none)).toBe(true);
    expect(originAllowed('http://evil.example', 'class.local:2567', none)).toBe(false);
    expect(originAllowed('http://class.local:5173', 'class.local:2567', none)).toBe(false);
    expect(originAllowed('null', 'class.local:2567', none)).toBe(false);
  });

  it('ROOM-10: ALLOWED_ORIGINS adds sites, or any with *', () => {
    const dev = originPolicy(' http://localhost:5173/ , https://Class.Example.org');
    expect(originAllowed('http://localhost:5173', 'localhost:2567', dev)).toBe(true);
    expect(originAllowed('https://class.example.org', 'localhost:2567', dev)).toBe(true);
    expect(originAllowed('http://evil.example', 'localhost:2567', dev)).toBe(false);
    expect(originAllowed('http://evil.example', 'localhost:2567', originPolicy('*'))).toBe(true);
  });
});
