import { describe, expect, it } from 'vitest';
import { toastPlace } from './toast.ts';

const phone = { width: 390, height: 844 };

describe('where an error toast goes (SPEC MSG-8)', () => {
  it('sits under the control that was used', () => {
    expect(toastPlace({ left: 20, top: 300, bottom: 340 }, 50, phone)).toEqual({ left: 20, top: 346 });
  });
  it('goes above a control near the bottom of the window, never below it', () => {
    const at = toastPlace({ left: 20, top: 780, bottom: 820 }, 50, phone);
    expect(at.top + 50).toBeLessThanOrEqual(780);
  });
  it('stays inside the window for a control scrolled out of view or at the right edge', () => {
    const at = toastPlace({ left: 380, top: -200, bottom: -160 }, 50, phone);
    expect(at.top).toBeGreaterThanOrEqual(8);
    expect(at.left + Math.min(300, 390 - 16)).toBeLessThanOrEqual(390 - 8);
  });
});
