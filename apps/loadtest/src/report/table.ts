import type { LatencySummary, StepResult } from '../types';
import { fmt, fmtMs, markdownTable } from './format';

/** Bytes of server-to-client frames per push in a step, or null when nothing was pushed. */
export function bytesPerPush(step: StepResult): number | null {
  return step.pushesPerSecond > 0 ? step.bytesPerSecond / step.pushesPerSecond : null;
}

/** Server RSS per connected player in KB (the whole RSS divided, baseline included), or null. */
export function rssPerPlayerKb(step: StepResult): number | null {
  if (step.server.rssBytes === null || step.connected <= 0) return null;
  return step.server.rssBytes / step.connected / 1024;
}

/** Errors as `CODE n, CODE n` (largest first), or `0`. */
export function formatErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? '0' : entries.map(([code, n]) => `${code} ${fmt(n)}`).join(', ');
}

function percentiles(summary: LatencySummary): string {
  if (summary.count === 0) return '–';
  return [summary.p50, summary.p95, summary.p99, summary.max].map(fmtMs).join(' / ');
}

/** The column headers of {@link renderStepTable}. */
export const STEP_TABLE_HEADER = [
  'players',
  'connected',
  'own view p50 / p95 / p99 / max (ms)',
  'ack p50 / p95 / p99 / max (ms)',
  'actions/s',
  'pushes/s',
  'bytes/push',
  'server CPU %',
  'RSS/player (KB)',
  'GC (ms/s)',
  'errors',
  'drops',
];

/** One row of {@link renderStepTable}. */
export function stepRow(step: StepResult): string[] {
  const { server } = step;
  return [
    fmt(step.players),
    fmt(step.connected),
    percentiles(step.ownView),
    percentiles(step.ack),
    fmt(step.actionsPerSecond),
    fmt(step.pushesPerSecond),
    fmt(bytesPerPush(step)),
    server.cpu === null ? '–' : fmt(server.cpu * 100),
    fmt(rssPerPlayerKb(step), 1),
    server.gcSecondsPerSecond === null ? '–' : fmt(server.gcSecondsPerSecond * 1000, 1),
    formatErrors(step.errors),
    fmt(step.drops),
  ];
}

/**
 * Renders steps as a markdown table, one row per step: players, connected, the p50/p95/p99/max of
 * action-to-own-view and of action-to-ack, actions and pushes per second, bytes per push, server CPU (% of
 * one core), RSS per connected player, GC pause ms per second, errors by code and drops. Missing figures show
 * as `–`; no steps give the header alone.
 */
export function renderStepTable(steps: StepResult[]): string {
  const align: ('left' | 'right')[] = STEP_TABLE_HEADER.map((_, i) => (i === 2 || i === 3 || i === 10 ? 'left' : 'right'));
  return markdownTable(STEP_TABLE_HEADER, steps.map(stepRow), align);
}
