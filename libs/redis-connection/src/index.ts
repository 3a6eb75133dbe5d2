export * from './connect';
export * from './connection-events';
export * from './store-errors';
export * from './keys';
export * from './script';
