import { CORRECT_POINTS, MAX_SPEED_BONUS, type QuizResult } from '../src';
import { createQuizRoom, rightChoice, wrongChoice } from './quiz-room';

describe('school quiz, played to the end', () => {
  it('runs timed rounds, hides answers until the reveal, scores correct and fast answers, and ends with standings', () => {
    const quiz = createQuizRoom();
    expect(quiz.view('p1')).toMatchObject({ round: 1, totalRounds: 3, stage: 'question', reveal: null, yourAnswer: null, isPlaying: true });
    expect(quiz.view('p1').question).not.toHaveProperty('answer');

    // Round 1: p1 right at once, p2 right after 5 s, p3 wrong.
    quiz.act('p1', 'answer', { choice: rightChoice(quiz) });
    expect(quiz.view('p2').answeredBy).toEqual(['p1']);
    expect(quiz.view('p2').yourAnswer).toBeNull();
    quiz.advance(5000);
    quiz.act('p2', 'answer', { choice: rightChoice(quiz) });
    quiz.act('p3', 'answer', { choice: wrongChoice(quiz) });
    // Everyone answered: the reveal comes at once, without waiting for the timer.
    expect(quiz.view('p3').stage).toBe('reveal');
    expect(quiz.view('p3').reveal?.results).toEqual({
      p1: { choice: rightChoice(quiz), isCorrect: true, points: CORRECT_POINTS + MAX_SPEED_BONUS },
      p2: { choice: rightChoice(quiz), isCorrect: true, points: CORRECT_POINTS + MAX_SPEED_BONUS / 2 },
      p3: { choice: wrongChoice(quiz), isCorrect: false, points: 0 },
    });
    expect(quiz.events('p3', 'revealed')).toHaveLength(1);

    // The reveal moves on by itself after revealSeconds; round 2 times out with only p3 answering.
    quiz.advance(5000);
    expect(quiz.view('p1')).toMatchObject({ round: 2, stage: 'question' });
    quiz.advance(2000);
    quiz.act('p3', 'answer', { choice: rightChoice(quiz) });
    quiz.advance(8000);
    expect(quiz.view('p1').reveal?.results['p1']).toEqual({ choice: null, isCorrect: false, points: 0 });
    expect(quiz.view('p1').reveal?.results['p3']?.points).toBe(CORRECT_POINTS + MAX_SPEED_BONUS * 0.8);

    // Round 3, then the end.
    quiz.advance(5000);
    for (const player of ['p1', 'p2', 'p3']) quiz.act(player, 'answer', { choice: wrongChoice(quiz) });
    quiz.advance(5000);

    const result = quiz.lastSync('p2').room.result as QuizResult;
    expect(quiz.state.phase).toBe('ended');
    expect(result.questionsPlayed).toBe(3);
    expect(result.standings.map((line) => [line.playerId, line.rank])).toEqual([
      ['p1', 1],
      ['p3', 2],
      ['p2', 3],
    ]);
    expect(quiz.state.timers).toEqual([]);
    expect(quiz.tryAct('p1', 'answer', { choice: 0 })?.code).toBe('GAME_OVER');
    expect(quiz.replay()).toEqual(quiz.state);
  });

  it('gives equal scores the same rank', () => {
    const quiz = createQuizRoom({ questionCount: 1 });
    quiz.act('p1', 'answer', { choice: rightChoice(quiz) });
    quiz.act('p2', 'answer', { choice: rightChoice(quiz) });
    quiz.act('p3', 'answer', { choice: wrongChoice(quiz) });
    quiz.advance(5000);
    expect((quiz.state.result as QuizResult).standings.map((line) => line.rank)).toEqual([1, 1, 3]);
  });

  it('carries on after a failover in the middle of a round, timers included', () => {
    const quiz = createQuizRoom();
    quiz.act('p1', 'answer', { choice: rightChoice(quiz) });
    quiz.advance(3000);
    quiz.failover();
    expect(quiz.view('p1').yourAnswer).toBe(rightChoice(quiz));
    quiz.advance(7000);
    expect(quiz.view('p2').stage).toBe('reveal');
    expect(quiz.view('p2').reveal?.results['p1']?.isCorrect).toBe(true);
    expect(quiz.replay()).toEqual(quiz.state);
  });

  it('waits for the host after a reveal when revealSeconds is 0', () => {
    const quiz = createQuizRoom({ revealSeconds: 0 });
    quiz.advance(10_000);
    quiz.advance(60_000);
    expect(quiz.view('p1')).toMatchObject({ round: 1, stage: 'reveal' });
    quiz.act('p1', 'next');
    expect(quiz.view('p1')).toMatchObject({ round: 2, stage: 'question' });
  });
});

describe('host controls', () => {
  it('lets the host close a round early, go to the next question and end the game', () => {
    const quiz = createQuizRoom({ revealSeconds: 30 });
    quiz.act('p1', 'next');
    expect(quiz.view('p2').stage).toBe('reveal');
    quiz.act('p1', 'next');
    expect(quiz.view('p2')).toMatchObject({ round: 2, stage: 'question' });
    quiz.act('p2', 'answer', { choice: rightChoice(quiz) });
    quiz.act('p1', 'end');
    expect(quiz.state.result).toMatchObject({ questionsPlayed: 1 });
  });

  it('refuses host controls from other players with HOST_ONLY', () => {
    const quiz = createQuizRoom();
    expect(quiz.tryAct('p2', 'next')?.code).toBe('HOST_ONLY');
    expect(quiz.tryAct('p2', 'end')?.code).toBe('HOST_ONLY');
    expect(quiz.tryApply({ type: 'kick', playerId: 'p2', targetId: 'p3' })).toMatchObject({ error: { code: 'HOST_ONLY' } });
  });

  it('only lets the host start, and refuses a second start', () => {
    const quiz = createQuizRoom({}, { start: false });
    expect(quiz.tryApply({ type: 'start', playerId: 'p2' })).toMatchObject({ error: { code: 'HOST_ONLY' } });
    expect(quiz.tryAct('p1', 'answer', { choice: 0 })?.code).toBe('GAME_NOT_STARTED');
    quiz.start();
    expect(quiz.tryApply({ type: 'start', playerId: 'p1' })).toMatchObject({ error: { code: 'GAME_ALREADY_STARTED' } });
  });

  it('kicks a player out of the room and the standings', () => {
    const quiz = createQuizRoom();
    quiz.act('p3', 'answer', { choice: rightChoice(quiz) });
    const { messages } = quiz.kick('p3');
    expect(messages).toContainEqual({ type: 'kicked', to: 'p3' });
    expect(quiz.view('p1').scoreboard.map((line) => line.playerId)).toEqual(['p1', 'p2']);
    expect(quiz.tryAct('p3', 'answer', { choice: 0 })?.code).toBe('NOT_IN_ROOM');
  });

  it('can be run by a teacher who hosts as a spectator', () => {
    const quiz = createQuizRoom({}, { players: 0, start: false });
    quiz.join('teacher', { asSpectator: true });
    quiz.join('p1');
    quiz.start('teacher');
    expect(quiz.view('teacher')).toMatchObject({ isPlaying: false, yourAnswer: null });
    expect(quiz.tryAct('teacher', 'answer', { choice: 0 })?.code).toBe('NOT_A_PLAYER');
    quiz.act('teacher', 'next');
    expect(quiz.view('p1').stage).toBe('reveal');
  });
});

describe('players coming and going', () => {
  it('keeps the score of a disconnected player, does not wait for them, and resyncs them when they are back', () => {
    const quiz = createQuizRoom();
    quiz.act('p3', 'answer', { choice: rightChoice(quiz) });
    quiz.advance(10_000);
    const scoreBefore = quiz.view('p1').scoreboard.find((line) => line.playerId === 'p3')?.score;
    expect(scoreBefore).toBeGreaterThan(0);
    quiz.advance(5000);
    quiz.disconnect('p3');
    quiz.act('p1', 'answer', { choice: 0 });
    quiz.act('p2', 'answer', { choice: 0 });
    expect(quiz.view('p1').stage).toBe('reveal');
    quiz.reconnect('p3');
    expect(quiz.view('p3').scoreboard.find((line) => line.playerId === 'p3')?.score).toBe(scoreBefore);
  });

  it('reveals when the last player it waited for disconnects or leaves', () => {
    const quiz = createQuizRoom();
    quiz.act('p1', 'answer', { choice: 0 });
    quiz.act('p2', 'answer', { choice: 0 });
    quiz.disconnect('p3');
    expect(quiz.view('p1').stage).toBe('reveal');

    const other = createQuizRoom();
    other.act('p1', 'answer', { choice: 0 });
    other.act('p2', 'answer', { choice: 0 });
    other.leave('p3');
    expect(other.view('p1').stage).toBe('reveal');
    expect(other.view('p1').scoreboard.find((line) => line.playerId === 'p3')?.hasLeft).toBe(true);
  });

  it('lets late joiners play from the next round by default', () => {
    const quiz = createQuizRoom();
    quiz.join('late');
    expect(quiz.view('late')).toMatchObject({ isPlaying: false });
    expect(quiz.view('p1').scoreboard.find((line) => line.playerId === 'late')?.isWaiting).toBe(true);
    expect(quiz.tryAct('late', 'answer', { choice: 0 })?.code).toBe('ACTION_FAILED');
    expect(quiz.tryAct('late', 'answer', { choice: 0 })?.details).toEqual({ reason: 'WAIT_FOR_NEXT_ROUND' });
    quiz.advance(15_000);
    expect(quiz.view('late')).toMatchObject({ round: 2, isPlaying: true });
    quiz.act('late', 'answer', { choice: rightChoice(quiz) });
  });

  it('makes late joiners spectators when the room says so', () => {
    const quiz = createQuizRoom({ lateJoiners: 'spectate' });
    quiz.join('late');
    expect(quiz.state.members.at(-1)?.role).toBe('spectator');
    expect(quiz.tryAct('late', 'answer', { choice: 0 })?.code).toBe('NOT_A_PLAYER');
    expect(quiz.view('late').scoreboard).toHaveLength(3);
  });

  it('welcomes back a player who left, with their score, from the next round', () => {
    const quiz = createQuizRoom();
    quiz.act('p2', 'answer', { choice: rightChoice(quiz) });
    quiz.advance(10_000);
    const score = quiz.view('p1').scoreboard.find((line) => line.playerId === 'p2')?.score;
    quiz.leave('p2');
    quiz.join('p2');
    expect(quiz.view('p2').scoreboard.find((line) => line.playerId === 'p2')).toMatchObject({ score, hasLeft: false, isWaiting: true });
  });
});

describe('every invalid action a player can send', () => {
  it.each([
    ['an unknown action', 'cheat', undefined, 'UNKNOWN_ACTION', undefined],
    ['a missing payload', 'answer', undefined, 'INVALID_PAYLOAD', undefined],
    ['a choice that is not a number', 'answer', { choice: 'B' }, 'INVALID_PAYLOAD', undefined],
    ['a negative choice', 'answer', { choice: -1 }, 'INVALID_PAYLOAD', undefined],
    ['a fractional choice', 'answer', { choice: 1.5 }, 'INVALID_PAYLOAD', undefined],
    ['a choice that does not exist', 'answer', { choice: 9 }, 'ACTION_FAILED', 'NO_SUCH_CHOICE'],
    ['a payload for next', 'next', { skip: 2 }, 'INVALID_PAYLOAD', undefined],
  ] as const)('refuses %s', (_label, action, payload, code, reason) => {
    const quiz = createQuizRoom();
    const before = quiz.serialize();
    const error = quiz.tryAct('p1', action, payload);
    expect(error?.code).toBe(code);
    if (reason !== undefined) expect(error?.details).toEqual({ reason });
    expect(quiz.serialize()).toBe(before);
  });

  it('refuses a second answer, an answer after the deadline and an answer during the reveal', () => {
    const quiz = createQuizRoom();
    quiz.act('p1', 'answer', { choice: 0 });
    expect(quiz.tryAct('p1', 'answer', { choice: 1 })?.details).toEqual({ reason: 'ALREADY_ANSWERED' });
    quiz.clock.advance(10_001); // the deadline passed, the round timer has not fired yet
    expect(quiz.tryAct('p2', 'answer', { choice: 1 })?.details).toEqual({ reason: 'ROUND_CLOSED' });
    quiz.advance(0);
    expect(quiz.view('p2').stage).toBe('reveal');
    expect(quiz.tryAct('p2', 'answer', { choice: 1 })?.details).toEqual({ reason: 'ROUND_CLOSED' });
  });

  it('refuses answers from spectators and strangers', () => {
    const quiz = createQuizRoom({}, { spectators: 1 });
    expect(quiz.tryAct('s1', 'answer', { choice: 0 })?.code).toBe('NOT_A_PLAYER');
    expect(quiz.tryAct('nobody', 'answer', { choice: 0 })?.code).toBe('NOT_IN_ROOM');
  });

  it('refuses to start with a pack that does not exist', () => {
    const quiz = createQuizRoom({ pack: 'no-such-pack' }, { start: false });
    const result = quiz.tryApply({ type: 'start', playerId: 'p1' });
    expect(result).toMatchObject({ isApplied: false, error: { code: 'ACTION_FAILED', details: { reason: 'UNKNOWN_PACK' } } });
    expect(quiz.state.phase).toBe('lobby');
  });
});
