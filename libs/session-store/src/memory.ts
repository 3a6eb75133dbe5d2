import { SharedMemory, type Clock } from '@gamebuddies/core';
import { corruptedSession, SESSION_SCHEMA_VERSION, type NewSessionFields, type SessionChanges, type SessionFields } from './session-fields';
import { SessionStoreBase } from './session-store-base';
import type { SessionStoreOptions } from './store-options';

/** Sessions under one key prefix, by the SHA-256 of their token. */
type Namespace = Map<string, Record<string, string>>;

/**
 * The data behind one or more {@link MemorySessionStore}s: pass the same backend to several stores and they
 * behave like processes sharing one Redis. Sessions are kept as the same string fields the Redis store writes,
 * under the token's hash, so both read back identically and neither ever holds a token.
 */
export class MemorySessionBackend extends SharedMemory<Namespace> {
  constructor(options: { clock?: Clock } = {}) {
    super(() => new Map(), options);
  }

  /**
   * Overwrites one stored field of a session, as damage would; returns false when there is no such session.
   * `tokenHash` is `hashSessionToken(token)`.
   */
  corruptField(keyPrefix: string, tokenHash: string, field: string, value: string): boolean {
    const fields = this.namespace(keyPrefix).get(tokenHash);
    if (fields === undefined) return false;
    fields[field] = value;
    return true;
  }

  /** Every string stored under a key prefix, names and values alike: what a dump of the store would show. */
  storedText(keyPrefix: string): string[] {
    return [...this.namespace(keyPrefix)].flatMap(([tokenHash, fields]) => [tokenHash, ...Object.entries(fields).flat()]);
  }
}

/** Settings of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions extends SessionStoreOptions {
  /** The shared data; by default a new backend of its own (one process, one store). */
  backend?: MemorySessionBackend;
  /** Separates stores sharing one backend, as the Redis key prefix does (default `gb:`). */
  keyPrefix?: string;
}

/**
 * The in-memory session store: the default, for one process and no services. Every operation is one
 * synchronous step on the backend, so it is atomic; results are parsed copies, so callers cannot change
 * stored sessions.
 */
export class MemorySessionStore extends SessionStoreBase {
  /** The backend this store reads and writes. */
  readonly backend: MemorySessionBackend;
  private readonly keyPrefix: string;
  private readonly ns: Namespace;

  constructor(options: MemorySessionStoreOptions = {}) {
    super(options);
    this.backend = options.backend ?? new MemorySessionBackend();
    this.keyPrefix = options.keyPrefix ?? 'gb:';
    this.ns = this.backend.namespace(this.keyPrefix);
  }

  protected describeKey(tokenHash: string): string {
    return `memory:${this.keyPrefix}session:{${tokenHash}}`;
  }

  protected async insertSession(tokenHash: string, fields: NewSessionFields, ttlMs: number): Promise<Record<string, string> | null> {
    this.ensureAvailable('create');
    if (this.live(tokenHash) !== undefined) return null;
    const now = this.backend.clock.now();
    const stored: SessionFields = {
      schema: String(SESSION_SCHEMA_VERSION),
      ...fields,
      roomCode: '',
      ttlMs: String(ttlMs),
      createdAt: String(now),
      lastSeenAt: String(now),
      expiresAt: String(now + ttlMs),
    };
    this.ns.set(tokenHash, { ...stored });
    return { ...stored };
  }

  protected async readSession(tokenHash: string): Promise<Record<string, string> | null> {
    this.ensureAvailable('get');
    const fields = this.live(tokenHash);
    return fields === undefined ? null : { ...fields };
  }

  protected async writeSession(tokenHash: string, changes: SessionChanges, ttlMs: number | undefined): Promise<Record<string, string> | null> {
    this.ensureAvailable('write');
    const fields = this.live(tokenHash);
    if (fields === undefined) return null;
    // The same checks, in the same order, as the Redis write script.
    if (fields['schema'] !== String(SESSION_SCHEMA_VERSION)) corruptedSession(this.describeKey(tokenHash), 'unknown schema version');
    const window = ttlMs ?? Number(fields['ttlMs']);
    if (!/^[1-9]\d*$/.test(String(window))) corruptedSession(this.describeKey(tokenHash), 'ttlMs is not an integer');
    const now = this.backend.clock.now();
    Object.assign(fields, changes, { ttlMs: String(window), lastSeenAt: String(now), expiresAt: String(now + window) });
    return { ...fields };
  }

  protected async removeSession(tokenHash: string): Promise<boolean> {
    this.ensureAvailable('destroy');
    const isLive = this.live(tokenHash) !== undefined;
    this.ns.delete(tokenHash);
    return isLive;
  }

  protected async countSessions(): Promise<number> {
    this.ensureAvailable('count');
    let count = 0;
    for (const tokenHash of [...this.ns.keys()]) if (this.live(tokenHash) !== undefined) count++;
    return count;
  }

  /** The session's fields if it exists and has not expired; an expired session is dropped on sight. */
  private live(tokenHash: string): Record<string, string> | undefined {
    const fields = this.ns.get(tokenHash);
    if (fields === undefined) return undefined;
    // A damaged expiry keeps the record, so that reading it reports the damage (as Redis, whose key TTL is apart).
    const expiresAt = fields['expiresAt'] ?? '';
    if (/^\d+$/.test(expiresAt) && Number(expiresAt) <= this.backend.clock.now()) {
      this.ns.delete(tokenHash);
      return undefined;
    }
    return fields;
  }

  private ensureAvailable(operation: string): void {
    this.backend.ensureAvailable(`session.${operation}`);
  }
}
