import type { Logger } from 'pino';

/** What {@link installFatalHandlers} needs of the process and the gateway. */
export interface FatalHandlerTarget {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown;
}

/**
 * A thrown error or a rejection nobody handled is logged as fatal and then takes the graceful path: the
 * gateway drains (readiness fails, players are told to reconnect elsewhere, leases are handed over) before
 * the process exits non-zero. The process is not trusted to keep serving after such an error; a second one
 * during the drain exits at once.
 */
export function installFatalHandlers(target: FatalHandlerTarget, logger: Logger, shutdown: () => Promise<void>, exit: (code: number) => void): void {
  let isFailing = false;
  const onFatal = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error, kind }, 'a fatal error escaped: draining and exiting');
    if (isFailing) return exit(1);
    isFailing = true;
    shutdown().then(
      () => exit(1),
      () => exit(1),
    );
  };
  target.on('unhandledRejection', onFatal('unhandledRejection'));
  target.on('uncaughtException', onFatal('uncaughtException'));
}
