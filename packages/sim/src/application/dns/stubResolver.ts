/**
 * How a client host finds its resolver (SPEC DNS-9, ANY-1): from its stub's spec, the
 * one place the scenario's loader, page loads, DNS flows and the resolver's score read it.
 */
import type { NodeSpec, StubSpec } from '../../scenario/scenarioSchema.ts';

/** The host's stub spec (`dns.stub`), if it has one. */
export function stubOf(n: NodeSpec | undefined): StubSpec | undefined {
  return n?.kind === 'host' && n.dns && 'stub' in n.dns ? n.dns.stub : undefined;
}

/** What the host's stub asks — a resolver's id or an (anycast) address — or undefined without a stub. */
export function stubResolverOf(n: NodeSpec | undefined): string | undefined {
  return stubOf(n)?.resolver;
}
