export { describeRoomStoreContract } from './contract';
export type { ContractStoreOptions, RoomStoreContractOptions, RoomStoreTestBackend } from './harness';
export { MemoryRoomStoreTestBackend } from './memory-backend';
