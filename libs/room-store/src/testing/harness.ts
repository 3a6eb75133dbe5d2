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
