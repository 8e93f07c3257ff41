/** The server's HTTP origin: same origin in production, the Vite proxy prefix in dev. */
export function httpBase(): string {
  return import.meta.env.DEV ? `${location.origin}/colyseus` : location.origin;
}
