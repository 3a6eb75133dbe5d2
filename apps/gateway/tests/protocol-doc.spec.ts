import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GameErrorCode } from '@gamebuddies/plugin-sdk';
import { WireErrorCode } from '@gamebuddies/protocol';
import { toClientError } from '../src/request-guard';
import { GameBuddiesError } from '@gamebuddies/core';

const protocolDoc = readFileSync(join(__dirname, '..', 'PROTOCOL.md'), 'utf8');

/** The codes in the "Error codes" table of PROTOCOL.md. */
function documentedCodes(): string[] {
  const section = protocolDoc.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1] as string);
}

describe('PROTOCOL.md and the wire error codes', () => {
  it('lists every code a client can receive, and no other', () => {
    expect(documentedCodes().sort()).toEqual(Object.values(WireErrorCode).sort());
  });

  it('covers every refusal a game can answer a player with', () => {
    const harnessOnly = ['SECRET_LEAKED', 'INVARIANT_VIOLATED', 'REPLAY_DIVERGED', 'INVALID_GAME_DEFINITION', 'INVALID_ROOM_STATE'];
    const wire: string[] = Object.values(WireErrorCode);
    for (const code of Object.values(GameErrorCode).filter((c) => !harnessOnly.includes(c))) expect(wire).toContain(code);
  });

  it('answers any other code as INTERNAL_ERROR, and renames the two a store may raise about a request', () => {
    expect(toClientError(new GameBuddiesError('STORE_CORRUPTED', 'x')).code).toBe('INTERNAL_ERROR');
    expect(toClientError(new GameBuddiesError('VERSION_CONFLICT', 'x')).code).toBe('INTERNAL_ERROR');
    expect(toClientError(new Error('boom'))).toEqual({ code: 'INTERNAL_ERROR', message: 'something failed on the server; nothing was changed' });
    expect(toClientError(new GameBuddiesError('INVALID_ARGUMENT', 'bad name')).code).toBe('INVALID_PAYLOAD');
    expect(toClientError(new GameBuddiesError('SESSION_NOT_FOUND', 'gone')).code).toBe('SESSION_REQUIRED');
    expect(toClientError(new GameBuddiesError('ROOM_BUSY', 'busy', { retryAfterMs: 100 }))).toMatchObject({ code: 'ROOM_BUSY', details: { retryAfterMs: 100 } });
  });
});
