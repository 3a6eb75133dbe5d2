import { describeRoomStoreContract, MemoryRoomStoreTestBackend } from './testing';

describeRoomStoreContract({ name: 'memory', setup: async () => new MemoryRoomStoreTestBackend() });
