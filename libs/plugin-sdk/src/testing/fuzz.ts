import type { JsonValue } from '@gamebuddies/core';
import type { AnyGameDefinition } from '../define-game';
import type { RoomInput } from '../room-input';

/** One step of a fuzzed run: a room input, a jump of the clock (then a tick), or a failover to a new runtime. */
export type FuzzStep = RoomInput | { type: 'advance'; ms: number } | { type: 'failover' };

/** What fuzzed steps are made of. */
export interface FuzzAlphabet {
  /** Ids steps come from: include players, spectators and strangers. */
  memberIds: readonly string[];
  /** Payloads to send, valid and invalid (no payload at all is always possible). */
  payloads: readonly JsonValue[];
  /** Action names to try besides the game's own. Default: `['no-such-action', 'toString']`. */
  extraActions?: readonly string[];
  /** The longest clock jump (default 60 000 ms). */
  maxAdvanceMs?: number;
}

/** How often each kind of step is drawn: actions most, a dispose rarely. */
const KINDS = ['action', 'action', 'action', 'action', 'action', 'action', 'join', 'join', 'start', 'leave', 'disconnect', 'reconnect', 'kick', 'advance', 'advance', 'tick', 'failover', 'dispose'] as const;

/**
 * Turns a few numbers into one step. A property-testing library (fast-check, ...) generates the numbers, so
 * it can shrink a failing run; this SDK does not depend on any such library.
 */
export function fuzzStep(game: AnyGameDefinition, alphabet: FuzzAlphabet, choices: readonly number[]): FuzzStep {
  const choice = (index: number): number => Math.abs(Math.trunc(choices[index] ?? 0));
  const pick = <T>(items: readonly T[], index: number): T => items[choice(index) % items.length] as T;
  const playerId = pick(alphabet.memberIds, 1);
  const kind = pick(KINDS, 0);
  switch (kind) {
    case 'action': {
      const actions = [...Object.keys(game.actions), ...(alphabet.extraActions ?? ['no-such-action', 'toString'])];
      const payloads: readonly (JsonValue | undefined)[] = [undefined, ...alphabet.payloads];
      const payload = pick(payloads, 3);
      const action = pick(actions, 2);
      return payload === undefined ? { type: 'action', playerId, action } : { type: 'action', playerId, action, payload };
    }
    case 'join':
      return { type: 'join', playerId, name: `Name ${playerId}`, ...(choice(2) % 3 === 0 ? { asSpectator: true } : {}) };
    case 'kick':
      return { type: 'kick', playerId, targetId: pick(alphabet.memberIds, 2) };
    case 'start':
    case 'leave':
    case 'disconnect':
    case 'reconnect':
      return { type: kind, playerId };
    case 'advance':
      return { type: 'advance', ms: choice(2) % ((alphabet.maxAdvanceMs ?? 60_000) + 1) };
    case 'tick':
    case 'failover':
    case 'dispose':
      return { type: kind };
  }
}

/**
 * The steps that open a room the usual way: `players` join (the first hosts), then `spectators`, then the host
 * starts. Put them before fuzzed steps so that most runs exercise a running game.
 */
export function openingSteps(players: readonly string[], spectators: readonly string[] = []): FuzzStep[] {
  return [
    ...players.map((playerId): FuzzStep => ({ type: 'join', playerId, name: `Player ${playerId}` })),
    ...spectators.map((playerId): FuzzStep => ({ type: 'join', playerId, name: `Spectator ${playerId}`, asSpectator: true })),
    ...players.slice(0, 1).map((playerId): FuzzStep => ({ type: 'start', playerId })),
  ];
}
