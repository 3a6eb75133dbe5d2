import type { RedisClient } from '@gamebuddies/redis-connection';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayConfig } from './config';

/** What a guard says about one request. */
export type Verdict = { isAllowed: true } | { isAllowed: false; retryAfterMs: number };

/** A room-code guess reserved before the code is looked up; settle it once the answer is known. */
export interface CodeGuess {
  /** False when this connection has used up its guesses: refuse without looking the code up. */
  isAllowed: boolean;
  /** True when the address has used up its wrong guesses: a wrong code is refused as TOO_MANY_WRONG_CODES. */
  isAddressBlocked: boolean;
  retryAfterMs: number;
  /** The code existed: the guess is given back, so right codes never use up a budget. */
  settleRight(): Promise<void>;
}

function verdictOf(outcome: Promise<unknown>): Promise<Verdict> {
  return outcome.then(
    () => ({ isAllowed: true }) as const,
    (rejection: unknown) => {
      if (rejection instanceof RateLimiterRes) return { isAllowed: false, retryAfterMs: rejection.msBeforeNext } as const;
      throw rejection;
    },
  );
}

type GuardSettings = Pick<
  GatewayConfig,
  | 'eventsPerSecond'
  | 'eventBurst'
  | 'abuseStrikes'
  | 'wrongCodesPerMinute'
  | 'wrongCodesPerAddressPerMinute'
  | 'roomsPerSessionPer10Minutes'
  | 'redisKeyPrefix'
>;

/**
 * The limits that protect a gateway from one client. A connection lives on one gateway, so its own limits
 * (a token bucket of events with room for bursts, strikes for refused or unknown events, its room-code
 * guesses) are counted in memory here. Limits a client could escape by reconnecting elsewhere (wrong room
 * codes per address, rooms created per session) are shared through Redis when there is one, with an
 * in-memory insurance limiter if Redis is unreachable.
 *
 * Room-code guesses are reserved before the code is looked up (so concurrent guesses cannot slip past the
 * limit) and given back when the code turns out to exist: only wrong guesses use up a budget, and a blocked
 * address (a school behind one NAT) still joins with a right code.
 */
export class ClientGuards {
  private readonly events: BurstyRateLimiter;
  private readonly strikes: RateLimiterAbstract;
  private readonly guessesPerConnection: RateLimiterAbstract;
  private readonly wrongCodesPerAddress: RateLimiterAbstract;
  private readonly roomsPerSession: RateLimiterAbstract;

  constructor(config: GuardSettings, redis?: RedisClient) {
    const local = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
      new RateLimiterMemory({ keyPrefix, points, duration });
    const shared = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const options = { keyPrefix, points, duration };
      if (redis === undefined) return new RateLimiterMemory(options);
      return new RateLimiterRedis({
        ...options,
        keyPrefix: `${config.redisKeyPrefix}limit:${keyPrefix}`,
        storeClient: redis,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.events = new BurstyRateLimiter(local('events', config.eventsPerSecond, 1), local('burst', config.eventBurst, 10));
    this.strikes = local('strikes', config.abuseStrikes, 60);
    this.guessesPerConnection = local('codes', config.wrongCodesPerMinute, 60);
    this.wrongCodesPerAddress = shared('codes-ip', config.wrongCodesPerAddressPerMinute, 60);
    this.roomsPerSession = shared('rooms', config.roomsPerSessionPer10Minutes, 600);
  }

  /** Takes one token for an event (known or not) on this connection. */
  takeEvent(connectionId: string): Promise<Verdict> {
    return verdictOf(this.events.consume(connectionId));
  }

  /** Records a refused event; false when the connection has used up its strikes and should be cut off. */
  async strike(connectionId: string, points = 1): Promise<boolean> {
    return (await verdictOf(this.strikes.consume(connectionId, points))).isAllowed;
  }

  /**
   * Reserves one room-code guess for this connection and address, before the code is looked up.
   * Concurrent guesses each take their own reservation, so none slips past the limit.
   */
  async reserveCodeGuess(connectionId: string, address: string): Promise<CodeGuess> {
    const connection = await verdictOf(this.guessesPerConnection.consume(connectionId));
    if (!connection.isAllowed) {
      return { isAllowed: false, isAddressBlocked: true, retryAfterMs: connection.retryAfterMs, settleRight: async () => undefined };
    }
    const byAddress = await verdictOf(this.wrongCodesPerAddress.consume(address));
    return {
      isAllowed: true,
      isAddressBlocked: !byAddress.isAllowed,
      retryAfterMs: byAddress.isAllowed ? 0 : byAddress.retryAfterMs,
      settleRight: async () => {
        await Promise.all([this.guessesPerConnection.reward(connectionId, 1), this.wrongCodesPerAddress.reward(address, 1)]);
      },
    };
  }

  /** Takes one room creation from the session's budget (before creating, so concurrent creates count). */
  takeRoomCreation(playerId: string): Promise<Verdict> {
    return verdictOf(this.roomsPerSession.consume(playerId));
  }

  /** Gives back a room creation that was refused, so only rooms actually made count. */
  async giveBackRoomCreation(playerId: string): Promise<void> {
    await this.roomsPerSession.reward(playerId, 1);
  }

  /** Forgets a closed connection's counters. */
  async forget(connectionId: string): Promise<void> {
    await Promise.all([this.strikes.delete(connectionId), this.guessesPerConnection.delete(connectionId)]);
  }
}
