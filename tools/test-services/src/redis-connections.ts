/** What {@link RedisConnections} needs of a client: a way to close it. */
export interface Disconnectable {
  disconnect(): void;
}

/**
 * Gives each store under test a connection of its own, as each gateway process would have, and ties the
 * connection's life to the store's: closing the store closes it. `closeAll` ends any left open.
 */
export class RedisConnections<C extends Disconnectable> {
  private readonly open = new Set<C>();

  /** @param connect opens one connection (for the stores: `connectRedis(url, { commandTimeoutMs })`). */
  constructor(private readonly connect: () => Promise<C>) {}

  /** Connects, builds the store with `make`, and makes `store.close()` also close the connection. */
  async storeOnOwnConnection<S extends { close(): Promise<void> }>(make: (client: C) => S): Promise<S> {
    const client = await this.connect();
    this.open.add(client);
    const release = (): void => {
      client.disconnect();
      this.open.delete(client);
    };
    let store: S;
    try {
      store = make(client);
    } catch (error) {
      release();
      throw error;
    }
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      release();
    };
    return store;
  }

  /** Closes every connection still open. */
  closeAll(): void {
    for (const client of this.open) client.disconnect();
    this.open.clear();
  }
}
