/**
 * Which web pages may talk to the server (SPEC ROOM-10): its own by default. A
 * request whose `Origin` names another site is refused, over HTTP and for WebSocket
 * upgrades; `ALLOWED_ORIGINS` (comma-separated origins, or `*` for any) adds others
 * (docs/HOSTING.md). A request with no `Origin` (not from a browser page) passes.
 */

/** The origins allowed besides the server's own, as configured. */
export interface OriginPolicy {
  anyOrigin: boolean;
  origins: ReadonlySet<string>;
}

/** Reads ALLOWED_ORIGINS (e.g. `https://class.example.org,http://localhost:5173`). */
export function originPolicy(allowedOrigins = process.env.ALLOWED_ORIGINS ?? ''): OriginPolicy {
  const list = allowedOrigins
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, '').toLowerCase())
    .filter((o) => o.length > 0);
  return { anyOrigin: list.includes('*'), origins: new Set(list.filter((o) => o !== '*')) };
}

/**
 * May a request with `origin` (its Origin header) reach the server at `host` (its
 * Host header)? The same site is compared by host and port, since a proxy in front
 * may end TLS (the page is https, the request reaching us is http).
 */
export function originAllowed(
  origin: string | null | undefined,
  host: string | null | undefined,
  policy: OriginPolicy,
): boolean {
  if (origin === null || origin === undefined || policy.anyOrigin) return true;
  const normalised = origin.trim().toLowerCase();
  if (policy.origins.has(normalised)) return true;
  try {
    return host !== null && host !== undefined && new URL(normalised).host === host.trim().toLowerCase();
  } catch {
    return false; // "null" (a sandboxed page, a file) or garbage
  }
}
