export * from './ack';
export * from './error-codes';
export * from './events';
export * from './wire-types';
