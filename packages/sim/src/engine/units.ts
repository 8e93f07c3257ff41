/** Simulated time is an integer count of microseconds (SPEC SIM-1). */
export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

/** Milliseconds (possibly fractional) to whole microseconds. */
export function msToUs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

/** Seconds (possibly fractional) to whole microseconds. */
export function sToUs(seconds: number): number {
  return Math.round(seconds * US_PER_S);
}

/** Time to put `sizeBytes` on a wire of `bandwidthBps`, rounded up to a whole microsecond. */
export function serializationUs(sizeBytes: number, bandwidthBps: number): number {
  return Math.ceil((sizeBytes * 8 * US_PER_S) / bandwidthBps);
}
