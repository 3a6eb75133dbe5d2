import { systemClock, type Clock } from './clock';
import { StoreUnavailableError } from './errors';

/**
 * What every in-memory store backend shares: data kept per key prefix (so stores with different prefixes on
 * one backend never meet, as on Redis), the clock that decides expiry, and an outage switch for tests. Several
 * store instances given the same backend behave like processes sharing one Redis.
 */
export class SharedMemory<TNamespace> {
  /** The clock that decides expiry. */
  readonly clock: Clock;
  private readonly namespaces = new Map<string, TNamespace>();
  private available = true;

  constructor(
    private readonly createNamespace: () => TNamespace,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** False while {@link setAvailable} has taken the backend down. */
  get isAvailable(): boolean {
    return this.available;
  }

  /** Simulates an outage: while false, every call fails with STORE_UNAVAILABLE. Data is kept. */
  setAvailable(isAvailable: boolean): void {
    this.available = isAvailable;
  }

  /** The data under one key prefix, made on first use. */
  namespace(keyPrefix: string): TNamespace {
    let ns = this.namespaces.get(keyPrefix);
    if (ns === undefined) {
      ns = this.createNamespace();
      this.namespaces.set(keyPrefix, ns);
    }
    return ns;
  }

  /** @throws StoreUnavailableError (outcome `not-applied`) while the backend is down. */
  ensureAvailable(operation: string): void {
    if (!this.available) {
      throw new StoreUnavailableError(`the memory backend is unavailable (${operation})`, { operation, outcome: 'not-applied' });
    }
  }
}
