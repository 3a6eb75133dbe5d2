import { MemoryRoomBackend, MemoryRoomStore } from '../memory';
import type { RoomStore } from '../room-store';
import type { ContractStoreOptions, RoomStoreTestBackend } from './harness';

/** Runs the contract against {@link MemoryRoomStore}; also a template for a backend of your own. */
export class MemoryRoomStoreTestBackend implements RoomStoreTestBackend {
  private readonly backend = new MemoryRoomBackend();

  async createStore({ namespace, ...options }: ContractStoreOptions): Promise<RoomStore> {
    return new MemoryRoomStore({ ...options, backend: this.backend, keyPrefix: namespace });
  }

  async corruptRoom(namespace: string, code: string, field: string, value: string): Promise<void> {
    if (!this.backend.corruptField(namespace, code, field, value)) throw new Error(`no room ${code} to corrupt`);
  }

  async removeRoomField(namespace: string, code: string, field: string): Promise<void> {
    if (!this.backend.corruptField(namespace, code, field, undefined)) throw new Error(`no room ${code} to corrupt`);
  }

  async stop(): Promise<void> {
    this.backend.setAvailable(false);
  }

  async start(): Promise<void> {
    this.backend.setAvailable(true);
  }

  async wipe(): Promise<void> {
    this.backend.wipe();
  }

  loseReplyTo(marker: string): Promise<void> {
    return this.backend.loseNextReply((command) => command.includes(marker));
  }

  async indexSize(namespace: string): Promise<number> {
    return this.backend.storedRoomCount(namespace);
  }

  async dispose(): Promise<void> {
    this.backend.setAvailable(true);
  }
}
