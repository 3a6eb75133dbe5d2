import { join } from 'node:path';
import { reportHttpStatus, type HealthRegistry, type HealthReport } from '@gamebuddies/health';
import { renderMetrics, type Registry } from '@gamebuddies/metrics';
import express, { type Express, type Response } from 'express';

/** Where the browser page lives, next to `src/` and `dist/` alike. */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

/**
 * The HTTP side of the gateway: liveness and readiness for load balancers and Kubernetes (`/health` is
 * readiness, as the scaling guide's load balancer configs expect), Prometheus metrics, and the play page.
 */
export function createHttpApp(options: { health: HealthRegistry; registry: Registry; servePage: boolean }): Express {
  const app = express();
  app.disable('x-powered-by');
  const sendReport = (res: Response, report: HealthReport): void => {
    res.status(reportHttpStatus(report)).set('Cache-Control', 'no-store').json(report);
  };
  app.get('/health/live', async (_req, res) => sendReport(res, await options.health.liveness()));
  app.get(['/health/ready', '/health'], async (_req, res) => sendReport(res, await options.health.readiness()));
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await renderMetrics(options.registry);
    res.set('Content-Type', contentType).send(body);
  });
  if (options.servePage) app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '5m' }));
  return app;
}
