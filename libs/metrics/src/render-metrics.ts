import type { Registry } from 'prom-client';

/** What a `/metrics` handler sends: the registry's content type and its text exposition. */
export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * Collects every metric of `registry` for a scrape. With Express:
 * `const { contentType, body } = await renderMetrics(registry); res.type(contentType).send(body);`
 */
export async function renderMetrics(registry: Registry): Promise<RenderedMetrics> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
