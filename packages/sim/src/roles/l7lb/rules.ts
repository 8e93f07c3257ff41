/**
 * Path rules of the L7 balancer (SPEC LB-L7-2): each names a path prefix and a pool; a
 * request goes to the pool of the longest prefix its path starts with (as nginx's
 * prefix `location`s and Envoy's `prefix` routes do: plain string prefixes, so `/api`
 * also takes `/apix`). The rules are the balancer's state, edited by its player.
 */

/** A rule: requests whose path starts with `prefix` go to pool `pool`. */
export interface PathRule {
  prefix: string;
  pool: string;
}

/** Most rules one balancer holds. */
export const RULES_MAX = 32;
/** Longest prefix a rule may have, in characters. */
export const PREFIX_MAX = 64;

/** Why `prefix` is no valid rule prefix, or null: it starts with `/`, has no spaces, and fits PREFIX_MAX. */
export function prefixProblem(prefix: unknown): string | null {
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) return 'prefix starts with "/"';
  if (prefix.length > PREFIX_MAX) return `prefix is at most ${PREFIX_MAX} characters`;
  if (/[\s?#]/.test(prefix)) return 'prefix has no spaces, "?" or "#"';
  return null;
}

/** The index of the rule with the longest prefix of `path`, or −1 when none matches. */
export function matchRule(rules: readonly PathRule[], path: string): number {
  let best = -1;
  let bestLength = -1;
  for (let i = 0; i < rules.length; i++) {
    const p = (rules[i] as PathRule).prefix;
    if (p.length > bestLength && path.startsWith(p)) {
      best = i;
      bestLength = p.length;
    }
  }
  return best;
}

/** Adds the rule for `prefix`, or points the existing one at `pool`; false when a new rule would pass RULES_MAX. */
export function setRule(rules: PathRule[], prefix: string, pool: string): boolean {
  const at = rules.findIndex((r) => r.prefix === prefix);
  if (at >= 0) {
    (rules[at] as PathRule).pool = pool;
    return true;
  }
  if (rules.length >= RULES_MAX) return false;
  rules.push({ prefix, pool });
  return true;
}

/** Removes the rule for `prefix`; false when there is none. */
export function deleteRule(rules: PathRule[], prefix: string): boolean {
  const at = rules.findIndex((r) => r.prefix === prefix);
  if (at < 0) return false;
  rules.splice(at, 1);
  return true;
}
