export {
  DEFAULT_CHECK_TIMEOUT_MS,
  type CheckFigures,
  type CheckKind,
  type CheckOutcome,
  type CheckStatus,
  type DisposableHealthCheck,
  type HealthCheck,
} from './health-check';
export { reportHttpStatus, type CheckResult, type HealthReport } from './health-report';
export { DRAINING_CHECK_NAME, HealthRegistry, type HealthRegistryOptions } from './health-registry';
export type { CommonCheckOptions } from './check-options';
export { eventLoopLagCheck, type EventLoopLagCheckOptions } from './event-loop-lag-check';
export { heapCheck, type HeapCheckOptions } from './heap-check';
export { fileDescriptorCheck, type FileDescriptorCheckOptions } from './file-descriptor-check';
export { countOpenFileDescriptors, readOpenFileLimit } from './process-files';
export { pingCheck, type PingCheckOptions } from './ping-check';
export * from './errors';
