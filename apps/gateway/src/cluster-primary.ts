import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { setupMaster } from '@socket.io/sticky';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config';

/** How many workers `CLUSTER_WORKERS` asks for. */
export function workerCount(config: GatewayConfig): number {
  return config.clusterWorkers === 'auto' ? availableParallelism() : config.clusterWorkers;
}

/**
 * Tier 1, Node cluster mode: this primary process owns the port and hands each connection to a worker,
 * sticky by Socket.IO session id (so long-polling works) and to the least busy worker otherwise. Workers share
 * rooms, sessions and broadcasts through Redis (a room's players may land on different workers, as they may
 * land on different machines), and a worker that dies is replaced; its rooms move to another worker when
 * their leases expire.
 * SIGTERM/SIGINT are passed on to the workers, which drain as a single gateway would; a second signal exits.
 */
export function runClusterPrimary(config: GatewayConfig, logger: Logger): void {
  const count = workerCount(config);
  const httpServer = createServer();
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
  let isStopping = false;
  let restarts = 0;

  const fork = (): Worker => cluster.fork({ GAMEBUDDIES_WORKER: '1' });
  cluster.on('exit', (worker, code, signal) => {
    if (isStopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info({}, 'all workers stopped');
        httpServer.close();
        process.exit(0);
      }
      return;
    }
    restarts++;
    const delay = Math.min(5000, 100 * restarts);
    logger.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'a worker died; starting another');
    setTimeout(fork, delay).unref();
  });
  for (let i = 0; i < count; i++) fork();
  httpServer.listen(config.port, config.host, () => {
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    logger.info({ url: `http://${shownHost}:${config.port}`, workers: count }, `GameBuddies gateway listening on http://${shownHost}:${config.port} with ${count} workers`);
  });

  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(1);
    isStopping = true;
    logger.info({ signal }, 'stopping the workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
