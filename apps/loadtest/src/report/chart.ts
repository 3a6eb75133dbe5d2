import type { StepResult } from '../types';
import { escapeXml, fmt } from './format';

/** One line of the chart: a configuration's steps under its label. */
export interface ChartSeries {
  label: string;
  steps: StepResult[];
}

/** Options for {@link renderChart}. */
export interface ChartOptions {
  /** A title above the panels. */
  title?: string;
  /** The latency threshold drawn as a dashed line, ms (default 50). */
  thresholdMs?: number;
}

const WIDTH = 860;
const MARGIN = { left: 78, right: 24 };
const PANEL_HEIGHT = 230;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

interface Point {
  x: number;
  y: number;
}

/** A linear axis 0..max with round ticks. */
function linearTicks(max: number, count = 5): { max: number; ticks: number[] } {
  if (!(max > 0)) return { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { max: top, ticks };
}

/** A log10 axis spanning whole decades around [min, max]. */
function logTicks(min: number, max: number): { min: number; max: number; ticks: number[] } {
  const lo = 10 ** Math.floor(Math.log10(Math.max(min, 0.1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(max, lo * 10)));
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(Number(t.toPrecision(12)));
  return { min: lo, max: hi, ticks };
}

function tickLabel(value: number): string {
  if (value >= 1000) return fmt(value);
  if (value >= 1 || value === 0) return fmt(value, Number.isInteger(value) ? 0 : 1);
  return String(Number(value.toPrecision(2)));
}

/** The path of one series: `M`/`L` segments, a gap where a value is missing. */
function linePath(points: (Point | null)[]): string {
  let path = '';
  let isDrawing = false;
  for (const p of points) {
    if (p === null) {
      isDrawing = false;
      continue;
    }
    path += `${isDrawing ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)} `;
    isDrawing = true;
  }
  return path.trim();
}

interface Panel {
  top: number;
  title: string;
  yLabel: string;
  yTicks: number[];
  toY: (value: number) => number;
  value: (step: StepResult) => number | null;
  threshold?: { value: number; label: string };
}

/**
 * Renders a self-contained SVG (no scripts, no external resources) of p95 action-to-own-view latency (top
 * panel, log scale, with the threshold as a dashed line) and server RSS (bottom panel) against players: one
 * coloured line per series, points marked, and a legend. Labels are XML-escaped; empty input gives a valid
 * SVG that says there is no data.
 */
export function renderChart(series: ChartSeries[], options: ChartOptions = {}): string {
  const thresholdMs = options.thresholdMs ?? 50;
  const titleHeight = options.title === undefined ? 0 : 28;
  const legendRows = Math.max(1, Math.ceil(series.length / 3));
  const legendTop = 12 + titleHeight;
  const firstPanelTop = legendTop + legendRows * 20 + 24;
  const panelGap = 70;
  const height = firstPanelTop + 2 * PANEL_HEIGHT + panelGap + 56;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;

  const allSteps = series.flatMap((s) => s.steps);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT} font-size="12">`);
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  if (options.title !== undefined) {
    parts.push(`<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(options.title)}</text>`);
  }

  const maxPlayers = Math.max(0, ...allSteps.map((s) => s.players));
  const x = linearTicks(maxPlayers);
  const toX = (players: number): number => MARGIN.left + (players / x.max) * plotWidth;

  const latencies = allSteps.filter((s) => s.ownView.count > 0).map((s) => s.ownView.p95);
  const lat = logTicks(Math.min(thresholdMs, ...latencies), Math.max(thresholdMs, ...latencies));
  const rssValues = allSteps.map((s) => s.server.rssBytes).filter((v): v is number => v !== null);
  const rss = linearTicks(Math.max(0, ...rssValues) / 2 ** 20);

  const latencyTop = firstPanelTop;
  const rssTop = firstPanelTop + PANEL_HEIGHT + panelGap;
  const panels: Panel[] = [
    {
      top: latencyTop,
      title: 'p95 action → own view',
      yLabel: 'ms (log scale)',
      yTicks: lat.ticks,
      toY: (v) => {
        const clamped = Math.min(Math.max(v, lat.min), lat.max);
        const share = (Math.log10(clamped) - Math.log10(lat.min)) / (Math.log10(lat.max) - Math.log10(lat.min));
        return latencyTop + PANEL_HEIGHT - share * PANEL_HEIGHT;
      },
      value: (s) => (s.ownView.count > 0 ? s.ownView.p95 : null),
      threshold: { value: thresholdMs, label: `${fmt(thresholdMs)} ms threshold` },
    },
    {
      top: rssTop,
      title: 'server RSS',
      yLabel: 'MB',
      yTicks: rss.ticks,
      toY: (v) => rssTop + PANEL_HEIGHT - (v / rss.max) * PANEL_HEIGHT,
      value: (s) => (s.server.rssBytes === null ? null : s.server.rssBytes / 2 ** 20),
    },
  ];

  for (const panel of panels) {
    const bottom = panel.top + PANEL_HEIGHT;
    const right = MARGIN.left + plotWidth;
    parts.push(`<g class="panel">`);
    parts.push(`<text x="${MARGIN.left}" y="${panel.top - 10}" font-size="14" font-weight="600">${escapeXml(panel.title)}</text>`);
    for (const tick of panel.yTicks) {
      const y = panel.toY(tick).toFixed(1);
      parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#444">${escapeXml(tickLabel(tick))}</text>`);
    }
    for (const tick of x.ticks) {
      const px = toX(tick).toFixed(1);
      parts.push(`<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 5}" stroke="#444"/>`);
      parts.push(`<text x="${px}" y="${bottom + 18}" text-anchor="middle" fill="#444">${escapeXml(tickLabel(tick))}</text>`);
    }
    parts.push(`<line x1="${MARGIN.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#444"/>`);
    parts.push(`<line x1="${MARGIN.left}" y1="${panel.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#444"/>`);
    parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${bottom + 36}" text-anchor="middle">players</text>`);
    const midY = panel.top + PANEL_HEIGHT / 2;
    parts.push(`<text x="18" y="${midY}" text-anchor="middle" transform="rotate(-90 18 ${midY})">${escapeXml(panel.yLabel)}</text>`);
    if (panel.threshold !== undefined) {
      const y = panel.toY(panel.threshold.value).toFixed(1);
      parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>`);
      parts.push(`<text x="${right - 4}" y="${Number(y) - 6}" text-anchor="end" fill="#d62728">${escapeXml(panel.threshold.label)}</text>`);
    }
    if (allSteps.length === 0) {
      parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${midY}" text-anchor="middle" fill="#888">no data</text>`);
    }
    series.forEach((s, index) => {
      const color = COLORS[index % COLORS.length] ?? '#000';
      const points = [...s.steps]
        .sort((a, b) => a.players - b.players)
        .map((step): Point | null => {
          const value = panel.value(step);
          return value === null || !Number.isFinite(value) ? null : { x: toX(step.players), y: panel.toY(value) };
        });
      const path = linePath(points);
      if (path.length > 0) parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const p of points) if (p !== null) parts.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3.5" fill="${color}"/>`);
    });
    parts.push(`</g>`);
  }

  parts.push(`<g class="legend">`);
  series.forEach((s, index) => {
    const color = COLORS[index % COLORS.length] ?? '#000';
    const column = index % 3;
    const row = Math.floor(index / 3);
    const lx = MARGIN.left + column * (plotWidth / 3);
    const ly = legendTop + row * 20 + 8;
    parts.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  parts.push(`</g>`);
  parts.push(`</svg>`);
  return `${parts.join('\n')}\n`;
}
