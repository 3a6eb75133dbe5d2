export * from './connect';
export * from './store-errors';
export * from './keys';
export * from './script';
