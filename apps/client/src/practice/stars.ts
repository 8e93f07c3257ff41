/**
 * Stars for a team score against a lesson's thresholds (SPEC PRAC-4): one star at the
 * first, two at the second, three at the third; none below the first.
 */
export function starsFor(teamScore: number, thresholds: readonly [number, number, number]): number {
  return thresholds.filter((t) => teamScore >= t).length;
}

/** Stars as people read them: ★★☆ for two of three. */
export function starsText(stars: number): string {
  const n = Math.max(0, Math.min(3, stars));
  return '★'.repeat(n) + '☆'.repeat(3 - n);
}
