export { MemoryNodePresence } from './memory';
export type { NodePresence, PresenceEntry } from './node-presence';
export { PresenceKeeper, type PresenceKeeperOptions } from './presence-keeper';
export { RedisNodePresence } from './redis';
