/**
 * Replaces, between lines `start` and `end` (exclusive) of a configuration, every line that matches `pattern`:
 * the first match is the template, and its place gets the lines `render` makes from it; the other matches go.
 * @throws Error naming `what` when no line in the range matches.
 */
export function replaceTemplateLines(
  lines: readonly string[],
  start: number,
  end: number,
  pattern: RegExp,
  render: (template: RegExpExecArray) => string[],
  what: string,
): string[] {
  const range = lines.slice(start, end);
  const template = range.map((line) => pattern.exec(line)).find((match) => match !== null);
  if (!template) throw new Error(`no ${what} to use as a template`);
  const firstAt = range.findIndex((line) => pattern.test(line));
  const kept = range.filter((line) => !pattern.test(line));
  kept.splice(firstAt, 0, ...render(template));
  return [...lines.slice(0, start), ...kept, ...lines.slice(end)];
}
