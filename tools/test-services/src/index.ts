export * from './binaries';
export * from './free-port';
export * from './redis-server';
export { stopChild, trackChild } from './child-processes';
