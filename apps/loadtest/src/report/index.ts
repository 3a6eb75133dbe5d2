/**
 * Reports of load runs: a markdown table of steps and an SVG chart of latency and memory against players.
 */
export { renderChart, type ChartOptions, type ChartSeries } from './chart';
export { escapeCell, escapeXml, fmt, fmtMs, markdownTable } from './format';
export { bytesPerPush, formatErrors, renderStepTable, rssPerPlayerKb, STEP_TABLE_HEADER, stepRow } from './table';
