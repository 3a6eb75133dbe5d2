import { MemorySessionBackend, MemorySessionStore } from '../memory';
import type { SessionStore } from '../session-store';
import { hashSessionToken } from '../session-tokens';
import type { ContractStoreOptions, SessionStoreTestBackend } from './harness';

/** Runs the contract against {@link MemorySessionStore}; also a template for a backend of your own. */
export class MemorySessionStoreTestBackend implements SessionStoreTestBackend {
  private readonly backend = new MemorySessionBackend();

  async createStore({ namespace, ...options }: ContractStoreOptions): Promise<SessionStore> {
    return new MemorySessionStore({ ...options, backend: this.backend, keyPrefix: namespace });
  }

  async corruptSession(namespace: string, token: string, field: string, value: string): Promise<void> {
    if (!this.backend.corruptField(namespace, hashSessionToken(token), field, value)) throw new Error('no session to corrupt');
  }

  async storedText(namespace: string): Promise<string[]> {
    return this.backend.storedText(namespace);
  }

  async stop(): Promise<void> {
    this.backend.setAvailable(false);
  }

  async start(): Promise<void> {
    this.backend.setAvailable(true);
  }

  async restartEmpty(): Promise<void> {
    this.backend.clear();
  }

  async loseNextReply(): Promise<void> {
    this.backend.loseNextReply();
  }

  async dispose(): Promise<void> {
    this.backend.setAvailable(true);
  }
}
