/** Set by the client's build (vite.config.ts): the id of the code this page shares with the server. */
declare const __ROUNDTRIP_BUILD__: string | undefined;

/** This page's build id (SPEC SYNC-10); '' when it has none (a dev page, a unit test). */
export const PAGE_BUILD: string = typeof __ROUNDTRIP_BUILD__ === 'string' ? __ROUNDTRIP_BUILD__ : '';

/**
 * Whether a page built as `page` is too old for a server whose pages are built as `served`
 * (SPEC SYNC-10): both known and different. Such a page cannot keep a replica equal to the
 * server's copy, nor be sure its messages are understood; it must load the new build.
 */
export function outdated(page: string, served: string | undefined): boolean {
  return page !== '' && served !== undefined && served !== '' && served !== page;
}
