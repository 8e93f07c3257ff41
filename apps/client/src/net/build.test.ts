import { describe, expect, it } from 'vitest';
import { outdated, PAGE_BUILD } from './build.ts';

describe('an open page after the server was upgraded (SPEC SYNC-10)', () => {
  it('SYNC-10: a page is out of date only when both builds are known and differ', () => {
    expect(outdated('abc', 'abd')).toBe(true);
    expect(outdated('abc', 'abc')).toBe(false);
    // A dev page, or a server that serves no built client (Vite does), compares nothing.
    expect(outdated('', 'abc')).toBe(false);
    expect(outdated('abc', '')).toBe(false);
    // A server from before build ids: nothing to compare.
    expect(outdated('abc', undefined)).toBe(false);
  });

  it('SYNC-10: outside a Vite build a page has no build id', () => {
    expect(PAGE_BUILD).toBe('');
  });
});
