/**
 * Transcendental functions built from + − × / only, so every JS engine gets the
 * same bits (Math.log may differ in the last place between engines; SPEC SIM-3).
 */

const LN2 = Math.LN2; // a constant, not a computation: the same double everywhere

/** Natural logarithm of x > 0. */
export function ln(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`ln needs a finite positive number, got ${x}`);
  // x = m · 2^e with m in [1, 2): scaling by 2 is exact in binary floating point.
  let m = x;
  let e = 0;
  while (m >= 2) {
    m /= 2;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  // ln(m) = 2·atanh(z), z = (m − 1)/(m + 1) in [0, 1/3): the series converges fast.
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let k = 1; k < 80; k += 2) {
    const add = term / k;
    sum += add;
    if (add < 1e-18) break;
    term *= z2;
  }
  return e * LN2 + 2 * sum;
}
