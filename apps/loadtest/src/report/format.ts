/**
 * Number and text formatting shared by the markdown table and the SVG chart.
 */

/** Formats a number with at most `digits` decimals and thousands separators; `–` for null or not finite. */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Formats a latency in ms: one decimal below 10 ms, whole numbers above. */
export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return fmt(value, Math.abs(value) < 10 ? 1 : 0);
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Makes text safe inside one markdown table cell: pipes escaped, line breaks turned into spaces. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Renders a markdown table from a header row and body rows (cells are escaped). */
export function markdownTable(header: string[], rows: string[][], align?: ('left' | 'right')[]): string {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `| ${header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
