/** A resolver's GSLB answer policies and health checks as scenario files and commands give them (SPEC GSLB-1..6). */
import { z } from 'zod';
import type { Scenario } from '../../scenario/scenario.ts';
import type { ScenarioFile } from '../../scenario/scenarioSchema.ts';
import { nodeId } from '../nodeFields.ts';

/** How a region's clients are answered: nearest by propagation, by region, by weight, first healthy in order, or one by hand. */
export const ANSWER_POLICIES = ['latency', 'geo', 'weighted', 'failover', 'fixed'] as const;
export type AnswerPolicyName = (typeof ANSWER_POLICIES)[number];

/** A weight per data centre, by its id (0–1,000). */
export const dcWeights = z.record(nodeId, z.number().min(0).max(1_000));

/** One region's answer policy (the `resolver.answer` command's fields but `node`). */
export const answerPolicySchema = z.strictObject({
  region: nodeId,
  policy: z.enum(ANSWER_POLICIES),
  /** `fixed`: the data centre answered. */
  dc: nodeId.optional(),
  /** `weighted`: each data centre's share (SPEC GSLB-4). */
  weights: dcWeights.optional(),
  /** `failover`: data centres in order of preference (SPEC GSLB-5). */
  order: z.array(nodeId).min(1).max(16).optional(),
});
export type AnswerPolicy = z.infer<typeof answerPolicySchema>;

/** Health checks of each data centre (SPEC GSLB-6). */
export const healthCheckSchema = z.strictObject({
  intervalMs: z.number().int().min(10).max(600_000).default(1_000),
  /** Probes missed in a row that mark a data centre down. */
  misses: z.number().int().min(1).max(10).default(3),
  /** A probe unanswered this long is missed; at most `intervalMs`. */
  timeoutMs: z.number().int().min(1).max(600_000).default(500),
});

/** What a policy is checked against: the scenario's regions and data centres. */
type Places = Pick<ScenarioFile, 'regions' | 'dataCentres'>;

/** Why `p` cannot apply, or null (SPEC GSLB-7): known region and data centres, a `fixed` data centre, weights not all 0, an order without repeats. */
export function answerPolicyProblem(p: AnswerPolicy, places: Places): string | null {
  const dcs = new Set(places.dataCentres.map((d) => d.id));
  if (!places.regions.some((r) => r.id === p.region)) return `unknown region "${p.region}"`;
  const unknown = (id: string) => (dcs.has(id) ? null : `unknown data centre "${id}"`);
  if (p.policy === 'fixed')
    return p.dc === undefined ? 'a fixed answer names its data centre (dc)' : unknown(p.dc);
  if (p.policy === 'weighted') {
    const entries = Object.entries(p.weights ?? {});
    for (const [id, w] of entries) {
      const bad = unknown(id);
      if (bad) return bad;
      if (!(w >= 0 && w <= 1_000)) return 'weights are numbers from 0 to 1000';
    }
    if (!entries.some(([, w]) => w > 0)) return 'a weighted answer needs a weight above 0';
  }
  if (p.policy === 'failover') {
    const order = p.order ?? [];
    if (order.length === 0) return 'a failover answer lists data centres in order';
    for (const id of order) {
      const bad = unknown(id);
      if (bad) return bad;
    }
    if (new Set(order).size !== order.length) return 'a data centre appears twice in the order';
  }
  return null;
}

/** The policy a region is answered by when none is set: nearest by propagation. */
export function defaultAnswer(region: string): AnswerPolicy {
  return { region, policy: 'latency' };
}

/** The scenario's GSLB services' data centres, as indices, in file order without repeats (those a resolver checks). */
export function checkedDcs(sc: Scenario): number[] {
  const out: number[] = [];
  for (const s of sc.file.gslb)
    for (const d of s.dcs) {
      const i = sc.regions.dcIndex.get(d.dc) as number;
      if (!out.includes(i)) out.push(i);
    }
  return out;
}
