import { describe, expect, it } from 'vitest';
import { l7lbAlgorithm } from './l7lb.algorithm.ts';
import { l7lbBackend } from './l7lb.backend.ts';
import { l7lbPoolSize } from './l7lb.poolSize.ts';
import { l7lbRule } from './l7lb.rule.ts';
import { l7lbRuleDelete } from './l7lb.ruleDelete.ts';
import { l7lbSticky } from './l7lb.sticky.ts';

/** The first problem zod finds, as the room's `invalid-message` reply names it. */
function problem(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  v: unknown,
) {
  const r = schema.safeParse(v);
  return r.success ? null : (r.error?.issues[0]?.message ?? '?');
}

describe('the L7 balancer messages (SPEC LB-L7-7, MSG-1)', () => {
  it('LB-L7-7, CMD-3: each becomes the command of the same name for the sender’s node', () => {
    const node = 'lb7';
    expect(l7lbRule.toCommand(l7lbRule.schema.parse({ prefix: '/api', pool: 'api' }), node)).toEqual({
      type: 'l7lb.rule',
      node,
      prefix: '/api',
      pool: 'api',
    });
    expect(l7lbRuleDelete.toCommand(l7lbRuleDelete.schema.parse({ prefix: '/' }), node)).toEqual({
      type: 'l7lb.ruleDelete',
      node,
      prefix: '/',
    });
    expect(l7lbSticky.toCommand({ on: true }, node)).toEqual({ type: 'l7lb.sticky', node, on: true });
    expect(l7lbPoolSize.toCommand({ size: 0 }, node)).toEqual({ type: 'l7lb.poolSize', node, size: 0 });
    expect(l7lbAlgorithm.toCommand({ pool: 'web', algorithm: 'maglev' }, node)).toEqual({
      type: 'l7lb.algorithm',
      node,
      pool: 'web',
      algorithm: 'maglev',
    });
    expect(l7lbBackend.toCommand({ pool: 'web', backend: 'web-1', state: 'drain' }, node)).toEqual({
      type: 'l7lb.backend',
      node,
      pool: 'web',
      backend: 'web-1',
      state: 'drain',
    });
    for (const m of [l7lbRule, l7lbRuleDelete, l7lbSticky, l7lbPoolSize, l7lbAlgorithm, l7lbBackend])
      expect(m.sender).toEqual({ role: 'l7lb' });
  });

  it('MSG-1, LB-L7-1: a prefix that is no path prefix is refused with a sentence saying what one looks like', () => {
    expect(problem(l7lbRule.schema, { prefix: 'api', pool: 'api' })).toMatch(/starts with "\/"/);
    expect(problem(l7lbRule.schema, { prefix: '/a b', pool: 'api' })).toMatch(/no spaces/);
    expect(problem(l7lbRule.schema, { prefix: '/a?x=1', pool: 'api' })).toMatch(/no spaces, "\?" or "#"/);
    expect(problem(l7lbRule.schema, { prefix: `/${'a'.repeat(64)}`, pool: 'api' })).toMatch(/at most 64/);
    expect(problem(l7lbRule.schema, { prefix: `/${'a'.repeat(63)}`, pool: 'api' })).toBeNull();
    expect(problem(l7lbRuleDelete.schema, { prefix: '' })).toMatch(/starts with "\/"/);
    expect(problem(l7lbRule.schema, { prefix: '/api', pool: 'API pool' })).toMatch(/pool name/);
  });

  it('MSG-1, LB-L7-7: sizes, algorithms and states out of range are refused; extra fields too', () => {
    expect(problem(l7lbPoolSize.schema, { size: 65 })).not.toBeNull();
    expect(problem(l7lbPoolSize.schema, { size: 2.5 })).not.toBeNull();
    expect(problem(l7lbPoolSize.schema, { size: 64 })).toBeNull();
    expect(problem(l7lbAlgorithm.schema, { pool: 'web', algorithm: 'random' })).not.toBeNull();
    expect(problem(l7lbBackend.schema, { pool: 'web', backend: 'web-1', state: 'off' })).not.toBeNull();
    expect(problem(l7lbSticky.schema, { on: 'yes' })).not.toBeNull();
    expect(problem(l7lbSticky.schema, { on: true, node: 'other' })).not.toBeNull();
  });
});
