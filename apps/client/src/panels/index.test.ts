import { describe, expect, it } from 'vitest';
import { panelFor, roleName, seatName } from './index.ts';

describe('the role panel registry', () => {
  it('has a panel and a name for the router, and none for a role it does not know', () => {
    expect(panelFor('router')?.name).toBe('router');
    expect(panelFor('toString')).toBeNull();
    expect(roleName('resolver')).toBe('resolver');
  });

  it('names a seat by role, label and node without saying the role twice', () => {
    expect(seatName('router', 'r-west', 'West border')).toBe('router West border (r-west)');
    expect(seatName('router', 'r-west', 'West router')).toBe('West router (r-west)');
    expect(seatName('router', 'r-west')).toBe('router r-west');
  });
});
