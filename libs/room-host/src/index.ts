export { RoomHost, type ChangeResult, type RoomCloseReason, type RoomHostObserver, type RoomHostOptions } from './room-host';
export { GameCatalog } from './game-catalog';
export { memberChanges, toDeliveries, toSnapshot, type Delivery } from './deliveries';
export { RoomBusyError, UnknownGameError } from './errors';
export { RoomQueue } from './room-queue';
export { isRoomGone, Membership, type MembershipOptions, type PlayerIdentity, type SessionBindings } from './membership';
export * from './presence';
export { RoomOwner, type RoomOwnerOptions } from './room-owner';
