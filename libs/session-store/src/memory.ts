import { SharedMemory, StoreUnavailableError, type Clock } from '@gamebuddies/core';
import { assertWhole, SESSION_SCHEMA_VERSION, storedRoomBoundAt, type NewSessionFields, type SessionFields } from './session-fields';
import { SessionStoreBase, type InsertOutcome, type SessionWrite, type WriteOutcome } from './session-store-base';
import type { SessionStoreOptions } from './store-options';

/** Sessions under one key prefix, by the SHA-256 of their token. */
type Namespace = Map<string, Record<string, string>>;

/**
 * The data behind one or more {@link MemorySessionStore}s: pass the same backend to several stores and they
 * behave like processes sharing one Redis. Sessions are kept as the same string fields the Redis store writes,
 * under the token's hash, so both read back identically and neither ever holds a token.
 */
export class MemorySessionBackend extends SharedMemory<Namespace> {
  private readonly knownNamespaces = new Set<Namespace>();
  private isNextReplyLost = false;

  constructor(options: { clock?: Clock } = {}) {
    super(() => new Map(), options);
  }

  /** The sessions under one key prefix, made on first use (and remembered, so that {@link clear} reaches them). */
  override namespace(keyPrefix: string): Namespace {
    const ns = super.namespace(keyPrefix);
    this.knownNamespaces.add(ns);
    return ns;
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

  /** Forgets every session of every key prefix at once, as a restart of a Redis without persistence does. */
  clear(): void {
    for (const ns of this.knownNamespaces) ns.clear();
  }

  /**
   * Simulates a reply lost on the network: the next write (create, touch, update, bind, unbind, destroy) of any
   * store on this backend is applied, then fails with STORE_UNAVAILABLE, outcome `unknown`, as a Redis command
   * whose connection closed before the reply does.
   */
  loseNextReply(): void {
    this.isNextReplyLost = true;
  }

  /** Called after a write applied: @throws StoreUnavailableError (`unknown`) when {@link loseNextReply} is armed. */
  settleWrite(operation: string): void {
    if (!this.isNextReplyLost) return;
    this.isNextReplyLost = false;
    throw new StoreUnavailableError(`the reply to ${operation} was lost`, { operation, outcome: 'unknown' });
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
 * synchronous step on the backend, so it is atomic; it checks the stored record before writing, as the Redis
 * scripts do; results are parsed copies, so callers cannot change stored sessions.
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
    this.startSweeping();
  }

  protected describeKey(tokenHash: string): string {
    return `memory:${this.keyPrefix}session:{${tokenHash}}`;
  }

  protected async insertSession(tokenHash: string, fields: NewSessionFields, ttlMs: number, isCallerToken: boolean): Promise<InsertOutcome> {
    this.ensureAvailable('create');
    const existing = this.live(tokenHash);
    if (existing !== undefined) {
      if (!isCallerToken) return { status: 'taken' };
      assertWhole(this.describeKey(tokenHash), existing);
      return existing['createRequest'] === fields.createRequest ? { status: 'existing', fields: { ...existing } } : { status: 'taken' };
    }
    const now = this.backend.clock.now();
    const stored: SessionFields = {
      schema: String(SESSION_SCHEMA_VERSION),
      ...fields,
      roomCode: '',
      roomBoundAt: '',
      ttlMs: String(ttlMs),
      createdAt: String(now),
      lastSeenAt: String(now),
      expiresAt: String(now + ttlMs),
    };
    this.ns.set(tokenHash, { ...stored });
    this.backend.settleWrite('session.create');
    return { status: 'created', fields: { ...stored } };
  }

  protected async readSession(tokenHash: string): Promise<Record<string, string> | null> {
    this.ensureAvailable('get');
    const fields = this.live(tokenHash);
    return fields === undefined ? null : { ...fields };
  }

  protected async writeSession(tokenHash: string, write: SessionWrite): Promise<WriteOutcome> {
    this.ensureAvailable('write');
    const fields = this.live(tokenHash);
    if (fields === undefined) return { status: 'not-found' };
    // The same checks, in the same order, as the Redis write script.
    assertWhole(this.describeKey(tokenHash), fields);
    const boundAt = storedRoomBoundAt(fields);
    if (write.ifRoomIs !== undefined && fields['roomCode'] !== write.ifRoomIs) {
      if (write.onMismatch === 'conflict') return { status: 'conflict', roomCode: fields['roomCode'] as string, roomBoundAt: boundAt };
      return { status: 'unchanged', fields: { ...fields } };
    }
    const now = this.backend.clock.now();
    const window = write.ttlMs ?? Number(fields['ttlMs']);
    if (fields['schema'] !== String(SESSION_SCHEMA_VERSION)) {
      Object.assign(fields, { schema: String(SESSION_SCHEMA_VERSION), roomBoundAt: boundAt, createRequest: '' });
    }
    Object.assign(fields, write.changes);
    if (write.changes.roomCode !== undefined) fields['roomBoundAt'] = write.changes.roomCode === '' ? '' : String(now);
    Object.assign(fields, { ttlMs: String(window), lastSeenAt: String(now), expiresAt: String(now + window) });
    this.backend.settleWrite('session.write');
    return { status: 'written', fields: { ...fields } };
  }

  protected async removeSession(tokenHash: string): Promise<boolean> {
    this.ensureAvailable('destroy');
    const isLive = this.live(tokenHash) !== undefined;
    this.ns.delete(tokenHash);
    this.backend.settleWrite('session.destroy');
    return isLive;
  }

  protected async countSessions(): Promise<number> {
    this.ensureAvailable('count');
    let count = 0;
    for (const tokenHash of [...this.ns.keys()]) if (this.live(tokenHash) !== undefined) count++;
    return count;
  }

  protected async sweepExpired(batchSize: number): Promise<number> {
    this.ensureAvailable('sweep');
    const now = this.backend.clock.now();
    let removed = 0;
    for (const [tokenHash, fields] of this.ns) {
      if (isExpired(fields, now)) {
        this.ns.delete(tokenHash);
        removed++;
        // One step at a time, like the Redis sweep; the next step continues where this one stopped.
        if (removed % batchSize === 0) await Promise.resolve();
      }
    }
    return removed;
  }

  /** The session's fields if it exists and has not expired; an expired session is dropped on sight. */
  private live(tokenHash: string): Record<string, string> | undefined {
    const fields = this.ns.get(tokenHash);
    if (fields === undefined) return undefined;
    if (isExpired(fields, this.backend.clock.now())) {
      this.ns.delete(tokenHash);
      return undefined;
    }
    return fields;
  }

  private ensureAvailable(operation: string): void {
    this.backend.ensureAvailable(`session.${operation}`);
  }
}

/**
 * Whether a stored session has expired. A damaged expiry keeps the record, so that reading it reports the
 * damage (as on Redis, whose key TTL is apart from the field).
 */
function isExpired(fields: Record<string, string>, now: number): boolean {
  const expiresAt = fields['expiresAt'] ?? '';
  return /^\d+$/.test(expiresAt) && Number(expiresAt) <= now;
}
