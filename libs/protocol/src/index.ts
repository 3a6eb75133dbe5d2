export * from './ack';
export * from './error-codes';
export * from './events';
export * from './schemas';
export * from './wire-types';
