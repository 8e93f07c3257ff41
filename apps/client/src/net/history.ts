import {
  HOST_KEY_HEADER,
  type RoundResults,
  type RoundSummary,
  roundHistory,
  roundResults,
} from '@roundtrip/protocol';
import { httpBase } from './http.ts';

/** localStorage key of this browser's history key: it outlives the tab, as a teacher's history must. */
const HOST_KEY = 'roundtrip.hostKey';
/** How long a history request may take. */
const HISTORY_TIMEOUT_MS = 8_000;

/**
 * This browser's history key (SPEC PERSIST-2): made once, kept in localStorage, sent
 * when creating a round and when asking for past rounds. Null where storage is off.
 */
export function hostKey(): string | null {
  return keptRandom(HOST_KEY);
}

/** A random base64url id kept under `key` in localStorage (made on first use); null where storage is off. */
function keptRandom(key: string): string | null {
  try {
    const kept = localStorage.getItem(key);
    if (kept && /^[\w-]{16,64}$/.test(kept)) return kept;
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    const made = btoa(String.fromCharCode(...bytes))
      .replaceAll('+', '-')
      .replaceAll('/', '_');
    localStorage.setItem(key, made);
    return made;
  } catch {
    return null;
  }
}

/** localStorage key of this browser's id, sent when joining so a host's ban holds (SPEC HOST-2). */
const DEVICE_ID = 'roundtrip.deviceId';

/** This browser's random id (SPEC HOST-2): made once and kept; null where storage is off. */
export function deviceId(): string | null {
  return keptRandom(DEVICE_ID);
}

/** The rounds this browser hosted, newest first. */
export async function fetchHistory(): Promise<RoundSummary[]> {
  const parsed = roundHistory.safeParse(await (await historyGet('')).json());
  if (!parsed.success) throw new Error('the server sent a list of rounds this page cannot read');
  return parsed.data;
}

/** One past round's results. */
export async function fetchRound(id: number): Promise<RoundResults> {
  const parsed = roundResults.safeParse(await (await historyGet(`/${id}`)).json());
  if (!parsed.success) throw new Error('the server sent results this page cannot read');
  return parsed.data;
}

/** Where a round's players fetch its debrief, CSV and replay: `ref` is the room state's `debrief` (SPEC DEBRIEF-6). */
export function sharedRoundUrl(ref: string, as: '' | '.csv' | '.replay.json' = ''): string {
  return `${httpBase()}/api/rounds/${ref}${as}`;
}

/** The debrief of the round a player just played. */
export async function fetchSharedRound(ref: string): Promise<RoundResults> {
  let res: Response;
  try {
    res = await fetch(sharedRoundUrl(ref), { signal: AbortSignal.timeout(HISTORY_TIMEOUT_MS) });
  } catch {
    throw new Error('the server did not answer');
  }
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const parsed = roundResults.safeParse(await res.json());
  if (!parsed.success) throw new Error('the server sent a debrief this page cannot read');
  return parsed.data;
}

/** Saves a past round's CSV or replay file (fetched with the key, then handed to the browser). */
export async function downloadRound(id: number, what: 'csv' | 'replay'): Promise<void> {
  const ext = what === 'csv' ? '.csv' : '.replay.json';
  const res = await historyGet(`/${id}${ext}`);
  const name =
    /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `round-${id}${ext}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function historyGet(path: string): Promise<Response> {
  const key = hostKey();
  if (!key) throw new Error('this browser keeps no storage, so it has no past rounds');
  let res: Response;
  try {
    res = await fetch(`${httpBase()}/api/history${path}`, {
      headers: { [HOST_KEY_HEADER]: key },
      signal: AbortSignal.timeout(HISTORY_TIMEOUT_MS),
    });
  } catch {
    throw new Error('the server did not answer');
  }
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  return res;
}
