export { describeSessionStoreContract } from './contract';
export type { ContractStoreOptions, SessionStoreContractOptions, SessionStoreTestBackend } from './harness';
export { MemorySessionStoreTestBackend } from './memory-backend';
