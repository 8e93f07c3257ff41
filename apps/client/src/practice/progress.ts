/** localStorage key of practice progress: best stars per lesson id (SPEC PRAC-8). */
export const PROGRESS_KEY = 'roundtrip.practice';

/** What this browser remembers of one lesson's practice. */
export interface LessonProgress {
  /** Best stars so far, 0–3. */
  stars: number;
  /** Best team score so far. */
  score: number;
  attempts: number;
}

type Progress = Record<string, LessonProgress>;

function read(storage: Storage): Progress {
  try {
    const raw = JSON.parse(storage.getItem(PROGRESS_KEY) ?? '{}') as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Progress = {};
    for (const [id, p] of Object.entries(raw as Record<string, unknown>)) {
      const v = p as Partial<LessonProgress>;
      if (typeof v?.stars === 'number' && typeof v.score === 'number' && typeof v.attempts === 'number')
        out[id] = {
          stars: Math.max(0, Math.min(3, Math.floor(v.stars))),
          score: v.score,
          attempts: v.attempts,
        };
    }
    return out;
  } catch {
    return {}; // unreadable: start again rather than fail
  }
}

/** Practice progress kept in this browser, no account (SPEC PRAC-8). */
export class PracticeProgress {
  private readonly storage: Storage;

  constructor(storage: Storage = localStorage) {
    this.storage = storage;
  }

  lesson(id: string): LessonProgress | null {
    return read(this.storage)[id] ?? null;
  }

  bestStars(id: string): number {
    return this.lesson(id)?.stars ?? 0;
  }

  /** Records one finished attempt; returns whether it beat the lesson's best stars. */
  record(id: string, stars: number, score: number): boolean {
    const all = read(this.storage);
    const was = all[id];
    all[id] = {
      stars: Math.max(was?.stars ?? 0, stars),
      score: Math.max(was?.score ?? Number.NEGATIVE_INFINITY, score),
      attempts: (was?.attempts ?? 0) + 1,
    };
    try {
      this.storage.setItem(PROGRESS_KEY, JSON.stringify(all));
    } catch {
      // storage full or disabled: the attempt still counts on screen
    }
    return stars > (was?.stars ?? 0);
  }
}
