import type { RoomStore } from '../room-store';
import type { RoomStoreOptions } from '../store-options';

/** Settings the contract passes when it asks for a store. */
export interface ContractStoreOptions extends Omit<RoomStoreOptions, 'instanceId' | 'logger'> {
  /**
   * Stores made with different namespaces must not see each other's rooms, counts or notifications
   * (for Redis: a different key prefix). Stores with the same namespace share everything.
   */
  namespace: string;
}

/**
 * What a backend under test provides to the contract. One backend is started for the whole suite; every
 * store it makes with the same namespace must share data, as processes sharing one Redis do.
 */
export interface RoomStoreTestBackend {
  /** Makes a new store instance (for Redis: with its own connection). The contract closes it. */
  createStore(options: ContractStoreOptions): Promise<RoomStore>;
  /** Overwrites one stored field of a room (see `RoomFields`) with `value`, as damage would. */
  corruptRoom(namespace: string, code: string, field: string, value: string): Promise<void>;
  /** Makes the backend unreachable (for Redis: stops the server), keeping the stores as they are. */
  stop(): Promise<void>;
  /** Brings the backend back (for Redis: restarts it, empty, on the same port). */
  start(): Promise<void>;
  /** Stops everything the backend started. */
  dispose(): Promise<void>;

  /*
   * Optional fault injection: the contract cases that need one of these are skipped (they pass without
   * asserting) for a backend that does not provide it.
   */

  /** Removes one stored field of a room, as damage would. */
  removeRoomField?(namespace: string, code: string, field: string): Promise<void>;
  /**
   * Loses every stored room at once while the stores stay connected, as a restart of a Redis without
   * persistence does (for Redis: kill and restart, empty, on the same port). Resolves once it is back.
   */
  wipe?(): Promise<void>;
  /**
   * Arms a one-shot fault: the next store command whose text contains `marker` is applied, but its reply is
   * lost (for Redis: a TCP proxy forwards the command, swallows the answer and drops the connection). Resolves
   * once it happened.
   */
  loseReplyTo?(marker: string): Promise<void>;
  /**
   * How many entries the index behind `count()` and `list()` holds for `namespace`, entries of expired rooms
   * that were not swept yet included.
   */
  indexSize?(namespace: string): Promise<number>;
}

/** How to run the contract against one implementation. */
export interface RoomStoreContractOptions {
  /** Shown in test names, e.g. `redis`. */
  name: string;
  /** Starts the backend once, before the suite. */
  setup(): Promise<RoomStoreTestBackend>;
  /** Longest time an operation may take to fail while the backend is down (default 5000 ms). */
  outageBoundMs?: number;
}

/** What each section of the contract gets: fresh stores in a namespace of the current test's own. */
export interface ContractContext {
  /** The backend, once set up. */
  backend(): RoomStoreTestBackend;
  /** `count` stores sharing the current test's namespace (closed after the test). */
  stores(count: number, options?: Omit<ContractStoreOptions, 'namespace'>): Promise<RoomStore[]>;
  /** One store in the current test's namespace (closed after the test). */
  store(options?: Omit<ContractStoreOptions, 'namespace'>): Promise<RoomStore>;
  /** A store in another namespace (closed after the test). */
  storeIn(namespace: string, options?: Omit<ContractStoreOptions, 'namespace'>): Promise<RoomStore>;
  /** The current test's namespace. */
  namespace(): string;
  /** Longest time a call may take to fail during an outage. */
  outageBoundMs: number;
}
