export * from './fake-clock';
export * from './fuzz';
export * from './invariants';
export * from './secrets';
export * from './test-room';
