import { assertJsonValue, InvalidArgumentError, isGameBuddiesError, type JsonValue } from '@gamebuddies/core';
import type { ActionContext, AnyGameDefinition, MemberInfo, TimerInfo } from './define-game';
import { ActionFailedError, InvalidStateError, isGameError } from './errors';
import { createRandom, type RandomState } from './random';
import type { RoomMember, StoredTimer } from './room-state';
import type { PendingEvent, RoomStep } from './room-step';
import { copyPlainData } from './json-copy';

/** Which piece of game code runs, for whom, and at what time. */
export interface GameCall {
  /** Names the code in error messages, e.g. `action "play"` or `timer "round-end"`. */
  label: string;
  /** The acting member, for action handlers. */
  actorId?: string;
  /** The time `ctx.now()` reports (default: the step's time). */
  now?: number;
}

/** The game code to run: receives a private copy of the game state and returns the next one. */
export type GameCode = (state: unknown, ctx: ActionContext<unknown, unknown>) => unknown;

/** A member as game code sees it (a frozen copy). */
export function toMemberInfo(member: RoomMember): MemberInfo {
  return Object.freeze({ id: member.id, name: member.name, role: member.role, isConnected: member.isConnected });
}

/**
 * Runs game code against the step's room. Its effects (next state, timers, random draws, events, end) are
 * committed together only if it returns valid plain data; otherwise the room is left as it was.
 * @throws the game's own SDK errors as they are; ACTION_FAILED (cause attached) for anything else it throws;
 * INVALID_STATE when it returns a promise, nothing, or state that is not plain JSON.
 */
export function runGameCode(step: RoomStep, game: AnyGameDefinition, call: GameCall, code: GameCode): void {
  const room = step.room;
  const pending = {
    timers: [...room.timers],
    timerSeq: room.timerSeq,
    random: [...room.random] as RandomState,
    events: [] as PendingEvent[],
    ended: null as { result: JsonValue } | null,
    isOpen: true,
  };
  const now = call.now ?? step.at;
  const guard = (): void => {
    if (!pending.isOpen) throw new InvalidArgumentError(`The context of ${call.label} was used after it returned`);
  };
  const findTimer = (name: string): StoredTimer | undefined => pending.timers.find((timer) => timer.name === name);
  const random = createRandom(pending.random);
  const ctx: ActionContext<unknown, unknown> = {
    options: copyPlainData(room.options),
    players: room.members.filter((member) => member.role === 'player').map(toMemberInfo),
    spectators: room.members.filter((member) => member.role === 'spectator').map(toMemberInfo),
    hostId: room.hostId,
    actorId: call.actorId ?? '',
    random: {
      next: () => (guard(), random.next()),
      int: (min, max) => (guard(), random.int(min, max)),
      pick: (items) => (guard(), random.pick(items)),
      shuffle: (items) => (guard(), random.shuffle(items)),
    },
    now: () => (guard(), now),
    schedule(name, delayMs, data = null) {
      guard();
      if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('A timer needs a non-empty name');
      if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
        throw new InvalidArgumentError(`The delay of timer "${name}" must be a finite number of ms >= 0, got ${String(delayMs)}`);
      }
      const copy = copyJson(data, `the data of timer "${name}"`);
      pending.timers = pending.timers.filter((timer) => timer.name !== name);
      pending.timers.push({ name, dueAt: now + delayMs, data: copy, seq: pending.timerSeq++ });
    },
    cancel(name) {
      guard();
      const before = pending.timers.length;
      pending.timers = pending.timers.filter((timer) => timer.name !== name);
      return pending.timers.length < before;
    },
    timer(name) {
      guard();
      const timer = findTimer(name);
      return timer === undefined ? null : toTimerInfo(timer);
    },
    emit(name, data = null) {
      guard();
      pending.events.push({ to: null, name: checkEventName(name), data: copyJson(data, `the data of event "${name}"`) });
    },
    emitTo(playerId, name, data = null) {
      guard();
      if (!room.members.some((member) => member.id === playerId)) {
        throw new InvalidArgumentError(`Cannot send event "${name}" to ${playerId}: not a member of the room`);
      }
      pending.events.push({ to: playerId, name: checkEventName(name), data: copyJson(data, `the data of event "${name}"`) });
    },
    end(result) {
      guard();
      pending.ended = { result: copyJson(result, 'the result') };
    },
  };

  let next: unknown;
  try {
    next = code(copyPlainData(room.game), ctx);
  } catch (error) {
    throw isGameError(error)
      ? error
      : new ActionFailedError(`The game failed while handling ${call.label}`, { source: call.label }, { cause: error });
  } finally {
    pending.isOpen = false;
  }
  room.game = checkState(next, call.label, step.checksState);
  room.timers = pending.timers;
  room.timerSeq = pending.timerSeq;
  room.random = pending.random;
  step.events.push(...pending.events);
  if (pending.ended !== null) {
    room.phase = 'ended';
    room.result = pending.ended.result;
    room.timers = [];
  }
}

/**
 * Runs game code for an input nobody can refuse (a leave, a timer): if it fails, the room keeps its state
 * from before the call and the error becomes one of the step's warnings.
 */
export function runContainedGameCode(step: RoomStep, game: AnyGameDefinition, call: GameCall, code: GameCode): void {
  try {
    runGameCode(step, game, call, code);
  } catch (error) {
    step.warnings.push(isGameBuddiesError(error) ? error : new ActionFailedError(`The game failed while handling ${call.label}`, undefined, { cause: error }));
  }
}

/** A timer as game code sees it. */
export function toTimerInfo(timer: StoredTimer): TimerInfo {
  return Object.freeze({ name: timer.name, dueAt: timer.dueAt, data: timer.data });
}

function checkState(next: unknown, label: string, checksState: boolean): unknown {
  if (typeof (next as { then?: unknown } | null)?.then === 'function') {
    throw new InvalidStateError(`${label} returned a promise; game code must be synchronous`, { source: label });
  }
  if (next === undefined) throw new InvalidStateError(`${label} returned nothing; it must return the next state`, { source: label });
  if (checksState) {
    try {
      assertJsonValue(next, 'state');
    } catch (error) {
      throw new InvalidStateError(`${label} returned state that is not plain data: ${(error as Error).message}`, {
        source: label,
        path: isGameBuddiesError(error) ? error.details?.['path'] : undefined,
      });
    }
  }
  return next;
}

/** A private copy of plain data, checked on the way. @throws InvalidStateError when it is not JSON. */
function copyJson(value: unknown, label: string): JsonValue {
  try {
    assertJsonValue(value, 'value');
  } catch (error) {
    throw new InvalidStateError(`${label} is not plain data: ${(error as Error).message}`, {
      path: isGameBuddiesError(error) ? error.details?.['path'] : undefined,
    });
  }
  return copyPlainData(value);
}

function checkEventName(name: string): string {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('An event needs a non-empty name');
  return name;
}

