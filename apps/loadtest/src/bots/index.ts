export * from './bot';
export * from './game-player';
export * from './games';
export * from './room-plan';
