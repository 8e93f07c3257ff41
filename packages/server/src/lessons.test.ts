import { describe, expect, it } from 'vitest';
import { briefingSummary, lessonId, lessons } from './lessons.ts';

describe('lessons from the scenario files (SPEC ROOM-1, ROOM-8)', () => {
  it('ROOM-8: lists the top-level scenario files in lesson order, without the benchmark', () => {
    const list = lessons();
    expect(list.map((l) => [l.lesson, l.id])).toEqual([
      [1, 'lesson-1-postal'],
      [2, 'lesson-2-mail'],
      [3, 'lesson-3-url'],
      [4, 'lesson-4-keep-alive'],
      [5, 'lesson-5-phonebook'],
      [6, 'lesson-6-traffic-cops'],
    ]);
    expect(list[0]).toMatchObject({ title: 'The postal service', roles: ['router'], durationS: 180 });
    expect(list[2]).toMatchObject({
      title: 'What happens when you type a URL',
      roles: ['router', 'resolver'],
      botSkills: ['novice', 'competent', 'expert'],
      botSkill: '',
    });
    expect(list[3]).toMatchObject({ title: 'Keep-alive', roles: ['l7lb'], durationS: 100 });
    expect(list[4]).toMatchObject({ title: 'The phone book', roles: ['resolver'], durationS: 100 });
    expect(list[5]).toMatchObject({ title: 'Traffic cops', roles: ['l4lb', 'l7lb'], durationS: 140 });
  });

  it('ROOM-1: opens the first lesson by default and refuses an unknown id, naming the lessons', () => {
    expect(lessonId(undefined)).toBe('lesson-1-postal');
    expect(lessonId('lesson-2-mail')).toBe('lesson-2-mail');
    expect(() => lessonId('lesson-99')).toThrow(/scenario: there is no lesson "lesson-99".*lesson-1-postal/);
    expect(() => lessonId('bench/reference-200')).toThrow(/no lesson/);
  });

  it('summarises a briefing in whole sentences, at least one', () => {
    expect(briefingSummary('One. Two! Three?')).toBe('One. Two! Three?');
    expect(briefingSummary(`${'a'.repeat(200)}. Next.`)).toBe(`${'a'.repeat(200)}.`);
    expect(briefingSummary('No full stop')).toBe('No full stop');
  });
});
