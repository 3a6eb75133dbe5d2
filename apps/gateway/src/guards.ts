import type { RedisClient } from '@gamebuddies/redis-connection';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayConfig } from './config';

/** What a guard says about one request. */
export type Verdict = { isAllowed: true } | { isAllowed: false; retryAfterMs: number };

function verdictOf(outcome: Promise<unknown>): Promise<Verdict> {
  return outcome.then(
    () => ({ isAllowed: true }) as const,
    (rejection: unknown) => {
      if (rejection instanceof RateLimiterRes) return { isAllowed: false, retryAfterMs: rejection.msBeforeNext } as const;
      throw rejection;
    },
  );
}

/**
 * The limits that protect a gateway from one client: a token bucket of events per connection (a steady rate
 * with room for bursts), strikes for events refused by it (a connection that keeps pushing is cut off), and a
 * guard against guessing room codes, per connection and per address. With Redis the counters are shared by
 * every gateway, so a client cannot escape a limit by landing on another one; if Redis is unreachable each
 * gateway falls back to counting in memory (rate-limiter-flexible's insurance limiter) rather than letting
 * everything through or refusing everyone.
 */
export class ClientGuards {
  private readonly events: BurstyRateLimiter;
  private readonly strikes: RateLimiterAbstract;
  private readonly wrongCodesPerConnection: RateLimiterAbstract;
  private readonly wrongCodesPerAddress: RateLimiterAbstract;

  constructor(
    config: Pick<GatewayConfig, 'eventsPerSecond' | 'eventBurst' | 'abuseStrikes' | 'wrongCodesPerMinute' | 'wrongCodesPerAddressPerMinute' | 'redisKeyPrefix'>,
    redis?: RedisClient,
  ) {
    const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const options = { keyPrefix, points, duration };
      if (redis === undefined) return new RateLimiterMemory(options);
      return new RateLimiterRedis({
        ...options,
        keyPrefix: `${config.redisKeyPrefix}limit:${keyPrefix}`,
        storeClient: redis,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.events = new BurstyRateLimiter(limiter('events', config.eventsPerSecond, 1), limiter('burst', config.eventBurst, 10));
    this.strikes = limiter('strikes', config.abuseStrikes, 60);
    this.wrongCodesPerConnection = limiter('codes', config.wrongCodesPerMinute, 60);
    this.wrongCodesPerAddress = limiter('codes-ip', config.wrongCodesPerAddressPerMinute, 60);
  }

  /** Takes one token for an event on this connection. */
  takeEvent(connectionId: string): Promise<Verdict> {
    return verdictOf(this.events.consume(connectionId));
  }

  /** Records a refused event; false when the connection has used up its strikes and should be cut off. */
  async strike(connectionId: string): Promise<boolean> {
    return (await verdictOf(this.strikes.consume(connectionId))).isAllowed;
  }

  /** Whether this connection and address may try another room code now. */
  async mayTryCode(connectionId: string, address: string): Promise<Verdict> {
    const [connection, byAddress] = await Promise.all([this.wrongCodesPerConnection.get(connectionId), this.wrongCodesPerAddress.get(address)]);
    for (const [res, limit] of [
      [connection, this.wrongCodesPerConnection.points],
      [byAddress, this.wrongCodesPerAddress.points],
    ] as const) {
      if (res !== null && res.consumedPoints >= limit) return { isAllowed: false, retryAfterMs: res.msBeforeNext };
    }
    return { isAllowed: true };
  }

  /** Records a wrong room code for this connection and address. */
  async recordWrongCode(connectionId: string, address: string): Promise<void> {
    await Promise.all([
      this.wrongCodesPerConnection.penalty(connectionId, 1),
      this.wrongCodesPerAddress.penalty(address, 1),
    ]);
  }

  /** Forgets a closed connection's counters. */
  async forget(connectionId: string): Promise<void> {
    await Promise.all([this.strikes.delete(connectionId), this.wrongCodesPerConnection.delete(connectionId)]);
  }
}
