import { type LessonSummary, lessonList } from '@roundtrip/protocol';
import { httpBase } from './http.ts';

/** How long the landing page waits for the lesson list. */
const LESSONS_TIMEOUT_MS = 8_000;

/**
 * The lessons the server offers (`GET /api/lessons`), in lesson order, checked
 * against their shape. Rejects with an Error whose message says what went wrong.
 */
export async function fetchLessons(): Promise<LessonSummary[]> {
  let res: Response;
  try {
    res = await fetch(`${httpBase()}/api/lessons`, { signal: AbortSignal.timeout(LESSONS_TIMEOUT_MS) });
  } catch {
    throw new Error('the server did not answer');
  }
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const parsed = lessonList.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new Error('the server sent a lesson list this page cannot read');
  if (parsed.data.length === 0) throw new Error('the server has no lessons');
  return parsed.data;
}
