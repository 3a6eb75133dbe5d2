import { createTestRoom } from '@gamebuddies/plugin-sdk/testing';
import { builtInQuestionSource, createMemoryQuestionSource, createSchoolQuiz, parseQuestionPack, scoreAnswer, SCHOOL_BASICS_PACK_ID } from '../src';

const tinyPack = {
  id: 'tiny',
  name: 'Tiny',
  language: 'en',
  questions: [
    { id: 'q1', category: 'math', prompt: '1 + 1?', choices: ['1', '2'], answer: 1 },
    { id: 'q2', category: 'math', prompt: '2 + 2?', choices: ['4', '5', '6'], answer: 0 },
  ],
};

describe('question sources', () => {
  it('ships a valid pack of 30 questions', () => {
    expect(builtInQuestionSource.getPack(SCHOOL_BASICS_PACK_ID)?.questions).toHaveLength(30);
    expect(builtInQuestionSource.getPack('nope')).toBeNull();
  });

  it.each([
    ['an answer outside the choices', { ...tinyPack, questions: [{ ...tinyPack.questions[0], answer: 2 }] }, /questions.0.answer/],
    ['duplicate question ids', { ...tinyPack, questions: [tinyPack.questions[0], tinyPack.questions[0]] }, /unique/],
    ['a single choice', { ...tinyPack, questions: [{ ...tinyPack.questions[0], choices: ['x'] }] }, /choices/],
    ['no questions', { ...tinyPack, questions: [] }, /questions/],
  ])('rejects a pack with %s', (_label, pack, message) => {
    expect(() => parseQuestionPack(pack)).toThrow(message);
  });

  it('rejects two packs with the same id', () => {
    expect(() => createMemoryQuestionSource([tinyPack, tinyPack])).toThrow(/Two question packs/);
  });

  it('plays questions from any source, as many as the pack has', () => {
    const quiz = createSchoolQuiz({ questions: createMemoryQuestionSource([tinyPack]) });
    const room = createTestRoom(quiz, { players: 1, options: { pack: 'tiny', questionCount: 10 } });
    expect(room.view('p1').totalRounds).toBe(2);
    expect(['q1', 'q2']).toContain(room.view('p1').question?.id);
  });

  it('draws the questions from the room seed', () => {
    const ids = (seed: string) => createTestRoom(createSchoolQuiz(), { players: 1, seed }).gameState.questions.map((question) => question.id);
    expect(ids('a')).toEqual(ids('a'));
    expect(ids('a')).not.toEqual(ids('b'));
  });
});

describe('scoring', () => {
  it('rewards correct answers, more when fast, and nothing for wrong ones', () => {
    expect(scoreAnswer(true, 0, 10_000)).toBe(1000);
    expect(scoreAnswer(true, 2500, 10_000)).toBe(875);
    expect(scoreAnswer(true, 10_000, 10_000)).toBe(500);
    expect(scoreAnswer(true, 20_000, 10_000)).toBe(500);
    expect(scoreAnswer(false, 0, 10_000)).toBe(0);
  });
});
