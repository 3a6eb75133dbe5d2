import type { SessionStore } from '../session-store';
import type { SessionStoreOptions } from '../store-options';

/** Settings the contract passes when it asks for a store. */
export interface ContractStoreOptions extends Omit<SessionStoreOptions, 'instanceId'> {
  /**
   * Stores made with different namespaces must not see each other's sessions or counts (for Redis: a
   * different key prefix). Stores with the same namespace share everything.
   */
  namespace: string;
}

/**
 * What a backend under test provides to the contract. One backend is started for the whole suite; every
 * store it makes with the same namespace must share data, as processes sharing one Redis do.
 */
export interface SessionStoreTestBackend {
  /** Makes a new store instance (for Redis: with its own connection), passing the options on. The contract closes it. */
  createStore(options: ContractStoreOptions): Promise<SessionStore>;
  /** Overwrites one stored field of the session `token` finds (see `SessionFields`) with `value`, as damage would. */
  corruptSession(namespace: string, token: string, field: string, value: string): Promise<void>;
  /** Every string stored under the namespace, key names and values alike: what a dump of the store would show. */
  storedText(namespace: string): Promise<string[]>;
  /** Makes the backend unreachable (for Redis: kills the server), keeping the stores as they are. */
  stop(): Promise<void>;
  /** Brings the backend back (for Redis: restarts it, possibly empty, on the same port). */
  start(): Promise<void>;
  /**
   * Loses every stored session at once while the stores stay connected, as a restart of a backend without
   * persistence does (for Redis: redis-server restarted, empty, on the same port). Resolves once it serves again.
   */
  restartEmpty(): Promise<void>;
  /**
   * Arms a one-shot fault: the next write (create, touch, update, bindRoom, unbindRoom or destroy) that any store
   * of this backend sends is applied, and its reply is lost, so that call fails with STORE_UNAVAILABLE, outcome
   * `unknown` (for Redis: a TCP proxy between the stores and redis-server forwards the script and cuts the
   * connection before the reply). Resolves once armed.
   */
  loseNextReply(): Promise<void>;
  /**
   * Gives the index that `token`'s session would be counted in a value of the wrong type, as damage would, and
   * returns that key's name. Optional: a backend without a separate index leaves it out, and the contract's
   * index test is then not registered.
   */
  damageIndex?(namespace: string, token: string): Promise<string>;
  /** Stops everything the backend started. */
  dispose(): Promise<void>;
}

/** How to run the contract against one implementation. */
export interface SessionStoreContractOptions {
  /** Shown in test names, e.g. `redis`. */
  name: string;
  /** Starts the backend once, before the suite. */
  setup(): Promise<SessionStoreTestBackend>;
  /** Longest time an operation may take to fail while the backend is down (default 5000 ms). */
  outageBoundMs?: number;
}

/** What each section of the contract gets: fresh stores in a namespace of the current test's own. */
export interface ContractContext {
  /** The backend, once set up. */
  backend(): SessionStoreTestBackend;
  /** `count` stores sharing the current test's namespace (closed after the test). */
  stores(count: number, options?: Omit<ContractStoreOptions, 'namespace'>): Promise<SessionStore[]>;
  /** One store in the current test's namespace (closed after the test). */
  store(options?: Omit<ContractStoreOptions, 'namespace'>): Promise<SessionStore>;
  /** A store in another namespace (closed after the test). */
  storeIn(namespace: string, options?: Omit<ContractStoreOptions, 'namespace'>): Promise<SessionStore>;
  /** The current test's namespace. */
  namespace(): string;
  /** Longest time a call may take to fail during an outage. */
  outageBoundMs: number;
}
