import { assertJsonValue, InvalidArgumentError, isJsonObject, type GameBuddiesError, type JsonValue } from '@gamebuddies/core';
import { runContainedGameCode, runGameCode, toMemberInfo, toTimerInfo } from './context';
import type { AnyGameDefinition } from './define-game';
import {
  ActionFailedError,
  AlreadyInRoomError,
  GameAlreadyStartedError,
  GameNotStartedError,
  GameOverError,
  HostOnlyError,
  InvalidPayloadError,
  NotAPlayerError,
  NotEnoughPlayersError,
  NotYourTurnError,
  UnknownActionError,
} from './errors';
import { checkPlayerId, checkPlayerName, chooseRole, findMember, pickHost } from './membership';
import type { RoomInput } from './room-input';
import type { RoomMember } from './room-state';
import type { RoomStep } from './room-step';
import { validateWithSchema } from './schema';
import { takeDueTimer } from './timers';
import { copyPlainData, freezePlainData } from './json-copy';

type InputOf<T extends RoomInput['type']> = Extract<RoomInput, { type: T }>;

/** Inputs that a member asks for and that may therefore be refused as a whole. */
const REFUSABLE_INPUTS: ReadonlySet<RoomInput['type']> = new Set(['join', 'start', 'kick', 'action']);

/** Whether an error during this input refuses it (the member's own request) or is contained. */
export function isRefusableInput(input: RoomInput): boolean {
  return REFUSABLE_INPUTS.has(input.type);
}

/**
 * The input with only its known fields, so that what is logged is exactly what was applied.
 * @throws InvalidArgumentError for an unknown type or a malformed field.
 */
export function readRoomInput(input: unknown): RoomInput {
  if (!isJsonObject(input as JsonValue)) throw new InvalidArgumentError('A room input must be an object');
  const raw = input as Record<string, unknown>;
  const playerId = (): string => checkPlayerId(raw['playerId']);
  switch (raw['type']) {
    case 'join':
      return {
        type: 'join',
        playerId: playerId(),
        name: typeof raw['name'] === 'string' ? raw['name'] : '',
        ...(raw['asSpectator'] === true ? { asSpectator: true } : {}),
      };
    case 'leave':
    case 'disconnect':
    case 'reconnect':
    case 'start':
      return { type: raw['type'], playerId: playerId() };
    case 'kick':
      return { type: 'kick', playerId: playerId(), targetId: checkPlayerId(raw['targetId'], 'targetId') };
    case 'action':
      if (typeof raw['action'] !== 'string') throw new InvalidArgumentError('action must be a string', { field: 'action' });
      return raw['payload'] === undefined
        ? { type: 'action', playerId: playerId(), action: raw['action'] }
        : { type: 'action', playerId: playerId(), action: raw['action'], payload: readPayload(raw['action'], raw['payload']) };
    case 'tick':
    case 'dispose':
      return { type: raw['type'] };
    default:
      throw new InvalidArgumentError(`Unknown room input type ${String(raw['type'])}`, { field: 'type' });
  }
}

/**
 * Applies one input to the step's working copy of the room.
 * @throws the error that refuses the input (for refusable inputs); contained errors go to `step.warnings`.
 */
export function applyRoomInput(step: RoomStep, game: AnyGameDefinition, input: RoomInput, maxTimersPerTick: number): void {
  switch (input.type) {
    case 'join':
      return join(step, game, input);
    case 'leave':
      return removeMember(step, game, findMember(step.room, input.playerId), 'left');
    case 'disconnect':
    case 'reconnect':
      return setConnected(step, game, input);
    case 'start':
      return start(step, game, input);
    case 'kick':
      return kick(step, game, input);
    case 'action':
      return act(step, game, input);
    case 'tick':
      return fireDueTimers(step, game, maxTimersPerTick);
    case 'dispose':
      return dispose(step, game);
  }
}

function join(step: RoomStep, game: AnyGameDefinition, input: InputOf<'join'>): void {
  const room = step.room;
  const name = checkPlayerName(input.name);
  if (room.members.some((member) => member.id === input.playerId)) throw new AlreadyInRoomError(input.playerId);
  const member: RoomMember = { id: input.playerId, name, role: chooseRole(game, room, input.asSpectator === true), isConnected: true, joinedAt: step.at };
  room.members.push(member);
  room.hostId ??= member.id;
  if (room.phase === 'playing' && game.onPlayerJoined !== undefined) {
    const hook = game.onPlayerJoined.bind(game);
    runGameCode(step, game, { label: `the join of ${member.id}` }, (state, ctx) => hook(state, { player: toMemberInfo(member) }, ctx));
  }
}

function removeMember(step: RoomStep, game: AnyGameDefinition, member: RoomMember, reason: 'left' | 'kicked'): void {
  const room = step.room;
  room.members = room.members.filter((candidate) => candidate.id !== member.id);
  if (room.hostId === member.id) room.hostId = pickHost(room.members);
  if (room.phase === 'playing' && game.onPlayerLeft !== undefined) {
    const hook = game.onPlayerLeft.bind(game);
    runContainedGameCode(step, game, { label: `the leave of ${member.id}` }, (state, ctx) => hook(state, { player: toMemberInfo(member), reason }, ctx));
  }
}

function setConnected(step: RoomStep, game: AnyGameDefinition, input: InputOf<'disconnect' | 'reconnect'>): void {
  const member = findMember(step.room, input.playerId);
  const isConnected = input.type === 'reconnect';
  if (member.isConnected === isConnected) {
    // A second disconnect changes nothing; a second reconnect (a new socket) still deserves a sync.
    step.isChanged = isConnected;
    return;
  }
  member.isConnected = isConnected;
  const hook = isConnected ? game.onPlayerReconnected : game.onPlayerDisconnected;
  if (step.room.phase === 'playing' && hook !== undefined) {
    const bound = hook.bind(game);
    runContainedGameCode(step, game, { label: `the ${input.type} of ${member.id}` }, (state, ctx) => bound(state, { player: toMemberInfo(member) }, ctx));
  }
}

function start(step: RoomStep, game: AnyGameDefinition, input: InputOf<'start'>): void {
  const room = step.room;
  findMember(room, input.playerId);
  if (room.hostId !== input.playerId) throw new HostOnlyError('start the game');
  if (room.phase === 'playing') throw new GameAlreadyStartedError();
  const players = room.members.filter((member) => member.role === 'player').length;
  if (players < game.minPlayers) throw new NotEnoughPlayersError({ players, minPlayers: game.minPlayers });
  room.phase = 'playing';
  room.result = null;
  room.timers = [];
  const setup = game.setup.bind(game);
  runGameCode(step, game, { label: 'setup' }, (_state, ctx) => setup(ctx.options, ctx));
}

function kick(step: RoomStep, game: AnyGameDefinition, input: InputOf<'kick'>): void {
  findMember(step.room, input.playerId);
  if (step.room.hostId !== input.playerId) throw new HostOnlyError('kick players');
  const target = findMember(step.room, input.targetId);
  if (target.id === input.playerId) throw new ActionFailedError('The host cannot kick themselves; leave instead');
  step.kicked.push(target.id);
  removeMember(step, game, target, 'kicked');
}

function act(step: RoomStep, game: AnyGameDefinition, input: InputOf<'action'>): void {
  const room = step.room;
  const member = findMember(room, input.playerId);
  const action = Object.hasOwn(game.actions, input.action) ? game.actions[input.action] : undefined;
  if (action === undefined) throw new UnknownActionError(input.action);
  if (room.phase === 'lobby') throw new GameNotStartedError();
  if (room.phase === 'ended') throw new GameOverError();
  if (action.isHostOnly === true) {
    if (room.hostId !== member.id) throw new HostOnlyError(`use "${input.action}"`);
  } else if (member.role === 'spectator' && action.allowsSpectators !== true) {
    throw new NotAPlayerError(`use "${input.action}"`);
  }
  if (action.requiresTurn === true && game.whoseTurn?.(freezePlainData(room.game)) !== member.id) throw new NotYourTurnError();
  let payload: unknown;
  if (action.payload !== undefined) {
    const result = validateWithSchema(action.payload, input.payload, `action "${input.action}"`);
    if (!result.isValid) throw new InvalidPayloadError(input.action, result.issues);
    payload = result.value;
  } else if (input.payload !== undefined && input.payload !== null) {
    throw new InvalidPayloadError(input.action, [{ message: 'This action takes no payload', path: [] }]);
  }
  const handle = action.handle.bind(action);
  runGameCode(step, game, { label: `action "${input.action}"`, actorId: member.id }, (state, ctx) => handle(state, payload, ctx));
}

function fireDueTimers(step: RoomStep, game: AnyGameDefinition, maxTimersPerTick: number): void {
  const room = step.room;
  let fired = 0;
  while (room.phase === 'playing') {
    const timer = takeDueTimer(room.timers, step.at);
    if (timer === undefined) break;
    if (fired === maxTimersPerTick) {
      room.timers.push(timer);
      step.warnings.push(timerLoopError(maxTimersPerTick));
      break;
    }
    fired++;
    if (game.onTimer === undefined) continue;
    const hook = game.onTimer.bind(game);
    runContainedGameCode(step, game, { label: `timer "${timer.name}"`, now: timer.dueAt }, (state, ctx) => hook(state, toTimerInfo(timer), ctx));
  }
  step.isChanged = fired > 0;
}

function dispose(step: RoomStep, game: AnyGameDefinition): void {
  const room = step.room;
  if (room.phase === 'playing' && game.onDispose !== undefined) {
    const hook = game.onDispose.bind(game);
    runContainedGameCode(step, game, { label: 'dispose' }, (state, ctx) => hook(state, ctx));
  }
  if (room.phase === 'playing') room.phase = 'ended';
  room.timers = [];
}

function readPayload(action: string, payload: unknown): JsonValue {
  try {
    assertJsonValue(payload, 'payload');
  } catch (error) {
    throw new InvalidPayloadError(action, [{ message: (error as Error).message, path: [] }]);
  }
  return copyPlainData(payload);
}

function timerLoopError(max: number): GameBuddiesError {
  return new ActionFailedError(`More than ${max} timers were due in one tick; the rest wait for the next tick`, { source: 'timers' });
}
