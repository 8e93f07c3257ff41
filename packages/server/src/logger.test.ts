import { describe, expect, it, vi } from 'vitest';
import { colyseusLogger, LINE_WINDOW_MS, LINES_PER_WINDOW_MAX, LineBudget, log } from './logger.ts';

describe('logs (SPEC MSG-6)', () => {
  it('MSG-6: each kind of line is written a bounded number of times a window, then summed up', () => {
    const budget = new LineBudget();
    const written = Array.from({ length: 25 }, () => budget.allow('k', 0).write).filter(Boolean);
    expect(written).toHaveLength(LINES_PER_WINDOW_MAX);
    expect(budget.allow('other', 0).write).toBe(true);
    expect(budget.allow('k', LINE_WINDOW_MS)).toEqual({ write: true, suppressed: 25 - LINES_PER_WINDOW_MAX });
  });

  it('MSG-6: an error Colyseus logs with a stack is one line without it, and repeats are limited', () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    const stack = new Error('Unexpected end of MessagePack data').stack ?? '';
    expect(stack.split('\n').length).toBeGreaterThan(3);
    for (let i = 0; i < 50; i++) colyseusLogger.error(stack);
    expect(warn).toHaveBeenCalledTimes(LINES_PER_WINDOW_MAX);
    const [, message] = warn.mock.calls[0] as unknown as [object, string];
    expect(message).toBe('Error: Unexpected end of MessagePack data');
    warn.mockRestore();
  });
});
