export * from './errors';
export * from './json';
export * from './clock';
export * from './logger';
export * from './shared-memory';
export * from './throttled-logger';
