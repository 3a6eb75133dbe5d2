import { GameBuddiesError, isJsonObject, type JsonValue } from '@gamebuddies/core';
import { GameErrorCode } from '../errors';
import type { RoomMessage } from '../messages';
import { isDeepEqual } from './deep-equal';

/** One value a {@link SecretGuard} path found in the game state. */
export interface SecretMatch {
  /** The concrete path, e.g. `hands.p2`. */
  path: string;
  /** What each `*` of the guard's path matched, in order (e.g. `['p2']` for `hands.*`). */
  keys: string[];
  value: JsonValue;
}

/** Who may see a secret: these member ids, or everyone. */
export type SecretAudience = readonly string[] | 'everyone';

/**
 * A secret of the game state that must not reach the wrong member. After every step of a test room, each
 * message a member receives (view, result and event data) is searched for the secret's current value:
 * - an object or array secret leaks when an equal subtree appears;
 * - a string secret leaks when an equal string appears;
 * - a number, boolean or null secret leaks when a property with the same name as the path's last segment
 *   holds it (so `round.answerIndex` = 2 leaks as `answerIndex: 2`, not as any 2).
 */
export interface SecretGuard<TState> {
  /** A dotted path into the game state; `*` matches every key or index at that level, e.g. `hands.*`. */
  path: string;
  /** Who may see the value: a fixed list, or decided from the current state and the match. Default: nobody. */
  visibleTo?: SecretAudience | ((state: TState, match: SecretMatch) => SecretAudience);
}

/** Thrown by a test room when a guarded secret reaches a member who may not see it. */
export class SecretLeakError extends GameBuddiesError<typeof GameErrorCode.SECRET_LEAKED> {
  constructor(match: SecretMatch, recipient: string, message: RoomMessage<unknown, unknown>) {
    const where = message.type === 'event' ? `event "${message.name}"` : message.type;
    super(GameErrorCode.SECRET_LEAKED, `The secret at ${match.path} reached ${recipient} in a ${where} message`, {
      path: match.path,
      recipient,
      messageType: message.type,
    });
  }
}

/** Every value of `state` at `path` (with `*` wildcards). */
export function findSecrets(state: unknown, path: string): SecretMatch[] {
  const segments = path.split('.').filter((segment) => segment !== '');
  const matches: SecretMatch[] = [];
  const walk = (value: unknown, index: number, concrete: string[], keys: string[]): void => {
    if (value === undefined) return;
    if (index === segments.length) {
      matches.push({ path: concrete.join('.'), keys, value: value as JsonValue });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const segment = segments[index] as string;
    const entries = segment === '*' ? Object.keys(value) : Object.hasOwn(value, segment) ? [segment] : [];
    for (const key of entries) {
      walk((value as Record<string, unknown>)[key], index + 1, [...concrete, key], segment === '*' ? [...keys, key] : keys);
    }
  };
  walk(state, 0, [], []);
  return matches;
}

/** Throws {@link SecretLeakError} when `message` carries `match` to a recipient outside `audience`. */
export function checkMessageForSecret(message: RoomMessage<unknown, unknown>, match: SecretMatch, audience: SecretAudience): void {
  if (audience === 'everyone' || audience.includes(message.to)) return;
  const carried = message.type === 'sync' ? [message.view, message.room.result] : message.type === 'event' ? [message.data] : [];
  const key = match.path.split('.').at(-1) ?? '';
  if (carried.some((payload) => contains(payload, match.value, key))) throw new SecretLeakError(match, message.to, message);
}

function contains(haystack: unknown, secret: JsonValue, key: string): boolean {
  if (typeof secret === 'object' && secret !== null) {
    if (Object.keys(secret).length === 0) return false;
    return someSubtree(haystack, (node) => isDeepEqual(node, secret));
  }
  if (typeof secret === 'string') return secret !== '' && someSubtree(haystack, (node) => node === secret);
  return someSubtree(haystack, (node) => isJsonObject(node as JsonValue) && Object.hasOwn(node as object, key) && (node as Record<string, unknown>)[key] === secret);
}

function someSubtree(node: unknown, predicate: (node: unknown) => boolean): boolean {
  if (predicate(node)) return true;
  if (typeof node !== 'object' || node === null) return false;
  return Object.values(node).some((child) => someSubtree(child, predicate));
}
