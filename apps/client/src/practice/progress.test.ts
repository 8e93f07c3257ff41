import { describe, expect, it } from 'vitest';
import { nextLesson, practiceLesson, practiceLessons } from './catalogue.ts';
import { PROGRESS_KEY, PracticeProgress } from './progress.ts';

/** An in-memory Storage. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

describe('the lessons practice offers — SPEC PRAC-1', () => {
  it('lists every lesson in lesson order, each seat of every role, and the skills all its bots share', async () => {
    const lessons = await practiceLessons();
    expect(lessons.map((l) => l.scenario.file.lesson)).toEqual([1, 2, 3, 4, 5, 6]);
    const l6 = lessons.find((l) => l.id === 'lesson-6-traffic-cops');
    expect(l6?.seats.map((s) => s.role).sort()).toEqual(['l4lb', 'l7lb']);
    const l3 = lessons.find((l) => l.id === 'lesson-3-url');
    expect(l3?.seats.map((s) => `${s.role}:${s.node}`)).toEqual([
      'router:r-home',
      'resolver:res',
      'router:r-dc',
    ]);
    expect(l3?.botSkills).toEqual(['novice', 'competent', 'expert']);
    expect(l3?.defaultSkill).toBe('competent');
    await expect(practiceLesson('lesson-99')).rejects.toThrow('there is no lesson "lesson-99"');
  });
});

describe('progress in the browser and the next lesson — SPEC PRAC-8', () => {
  it('keeps the best stars and score and counts attempts', () => {
    const storage = memoryStorage();
    const progress = new PracticeProgress(storage);
    expect(progress.bestStars('lesson-1-postal')).toBe(0);
    expect(progress.record('lesson-1-postal', 2, 1900)).toBe(true);
    expect(progress.record('lesson-1-postal', 1, 1000)).toBe(false);
    expect(progress.lesson('lesson-1-postal')).toEqual({ stars: 2, score: 1900, attempts: 2 });
    expect(new PracticeProgress(storage).bestStars('lesson-1-postal')).toBe(2);
    expect(JSON.parse(storage.getItem(PROGRESS_KEY) ?? '{}')).toHaveProperty('lesson-1-postal');
  });

  it('ignores what it cannot read', () => {
    const broken = new PracticeProgress(memoryStorage({ [PROGRESS_KEY]: '{not json' }));
    expect(broken.bestStars('lesson-1-postal')).toBe(0);
    const odd = new PracticeProgress(
      memoryStorage({ [PROGRESS_KEY]: '{"a":{"stars":"3"},"b":{"stars":7,"score":1,"attempts":1}}' }),
    );
    expect(odd.lesson('a')).toBeNull();
    expect(odd.bestStars('b')).toBe(3);
  });

  it('suggests the next lesson, and after the last the first not yet at three stars', () => {
    const order = ['l1', 'l2', 'l3'];
    const stars: Record<string, number> = { l1: 3, l2: 1, l3: 3 };
    expect(nextLesson(order, 'l1', (l) => stars[l] ?? 0)).toBe('l2');
    expect(nextLesson(order, 'l3', (l) => stars[l] ?? 0)).toBe('l2');
    expect(nextLesson(order, 'l3', () => 3)).toBeNull();
  });
});
