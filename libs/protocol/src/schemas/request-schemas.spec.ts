import { CLIENT_EVENTS } from '../events';
import { parseRequest, requestSchemas } from './request-schemas';

describe('request schemas', () => {
  it('has a schema for every client event', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...CLIENT_EVENTS].sort());
  });

  it('accepts well-formed payloads and treats a missing payload as {}', () => {
    expect(parseRequest('room:create', { gameId: 'school-quiz', options: { rounds: 3 } })).toEqual({
      ok: true,
      value: { gameId: 'school-quiz', options: { rounds: 3 } },
    });
    expect(parseRequest('room:leave', undefined)).toEqual({ ok: true, value: {} });
    expect(parseRequest('session:open', { name: '  Ada ' })).toEqual({ ok: true, value: { name: 'Ada' } });
    expect(parseRequest('game:act', { action: 'answer', payload: { choice: 2 } })).toMatchObject({ ok: true });
  });

  it.each([
    ['room:create', { gameId: 7 }, ['gameId']],
    ['room:create', { gameId: 'g', extra: true }, []],
    ['room:join', { code: '' }, ['code']],
    ['room:join', 'ABCDEF', []],
    ['session:open', { name: 'x'.repeat(33) }, ['name']],
    ['game:act', { action: 'a', payload: { when: new Date() } }, ['payload']],
    ['room:kick', {}, ['playerId']],
    ['room:leave', { please: 1 }, []],
  ] as const)('refuses %s with %j, naming where', (event, payload, path) => {
    const result = parseRequest(event, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.length).toBeGreaterThan(0);
      expect(result.issues[0]?.path).toEqual(path);
    }
  });
});
