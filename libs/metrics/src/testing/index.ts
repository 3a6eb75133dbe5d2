export { metricValue, parseMetricsText, type MetricFamily, type MetricSample } from './exposition';
