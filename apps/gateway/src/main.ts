import cluster from 'node:cluster';
import { setupWorker } from '@socket.io/sticky';
import pino from 'pino';
import { runClusterPrimary } from './cluster-primary';
import { ConfigError, loadConfig } from './config';
import { installFatalHandlers } from './fatal-handlers';
import { createGateway } from './gateway';
import { AVAILABLE_GAMES } from './games';

/**
 * The gateway process: configuration from the environment, then serve until SIGTERM/SIGINT. The first signal
 * drains (within SHUTDOWN_TIMEOUT_MS); a second one exits at once.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, AVAILABLE_GAMES.map((g) => g.id));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config.clusterWorkers !== 0 && cluster.isPrimary) {
    runClusterPrimary(config, pino({ level: config.logLevel, base: { node: config.nodeId, role: 'primary' } }));
    return;
  }
  const isWorker = cluster.isWorker;
  if (isWorker) config = { ...config, nodeId: `${config.nodeId}-w${cluster.worker?.id ?? 0}` };
  const gateway = await createGateway(config);
  installFatalHandlers(process, gateway.logger, () => gateway.shutdown(), (code) => process.exit(code));
  if (isWorker) {
    setupWorker(gateway.io);
    gateway.logger.info({ stores: gateway.stores.backend }, 'worker ready');
  } else {
    const url = await gateway.listen();
    gateway.logger.info({ url, stores: gateway.stores.backend, games: config.games }, `GameBuddies gateway listening on ${url}`);
    if (process.stdout.isTTY) process.stdout.write(`\n  Play in your browser: ${url}\n\n`);
  }

  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      gateway.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    gateway.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      gateway.logger.error({}, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 1000);
    deadline.unref();
    gateway.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`the gateway could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
