/** One sample line of the Prometheus text format, e.g. `x_bucket{le="0.5"} 3`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its `# HELP`, its `# TYPE` and its samples (a histogram's `_bucket`, `_sum`, `_count`). */
export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: MetricSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?[ \\t]+(\\S+)(?:[ \\t]+-?\\d+)?$`);
const META_LINE = new RegExp(`^# (HELP|TYPE) (${NAME})(?: (.*))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(?:,|$)/y;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/**
 * Parses the Prometheus text exposition format (version 0.0.4, what `/metrics` serves) strictly: every line
 * must be a comment, a `# HELP`/`# TYPE` line or a sample of a family whose type was declared before it, with
 * well-formed labels and a numeric value. Returns the families by name.
 * @throws Error naming the line number and text of the first line that breaks the format.
 */
export function parseMetricsText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const typed = new Set<string>();
  text.split('\n').forEach((line, index) => {
    const fail = (reason: string): never => {
      throw new Error(`line ${index + 1} ${reason}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    const meta = META_LINE.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      families.set(name, family);
      if (kind === 'HELP') family.help = unescapeText(rest);
      else if (TYPES.has(rest) && !typed.has(name)) {
        family.type = rest as MetricFamily['type'];
        typed.add(name);
      } else fail('has an unknown type or declares a type twice');
      return;
    }
    if (line.startsWith('#')) return;
    const sample = SAMPLE_LINE.exec(line) ?? fail('is not a sample');
    const [, name = '', labelText = '', valueText = ''] = sample;
    const value = parseValue(valueText) ?? fail('has a value that is not a number');
    const family = familyOf(families, typed, name) ?? fail('belongs to no family declared by # TYPE');
    family.samples.push({ name, labels: parseLabels(labelText) ?? fail('has malformed labels'), value });
  });
  return families;
}

/**
 * The value of the one sample called `name` whose labels include `labels` (other labels, such as default
 * labels, are ignored), or undefined when there is none. Accepts the text of `/metrics` or parsed families.
 * @throws Error when several samples match: add labels to pick one.
 */
export function metricValue(metrics: string | Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const families = typeof metrics === 'string' ? parseMetricsText(metrics) : metrics;
  const matches = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0]?.value;
}

function familyOf(families: Map<string, MetricFamily>, typed: Set<string>, sampleName: string): MetricFamily | undefined {
  if (typed.has(sampleName)) return families.get(sampleName);
  for (const family of families.values()) {
    if (!typed.has(family.name)) continue;
    const suffixes = SUFFIXES[family.type] ?? [];
    if (suffixes.some((suffix) => sampleName === family.name + suffix)) return family;
  }
  return undefined;
}

/** Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(text: string): number | undefined {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return Number.NaN;
  const value = Number(text);
  return text !== '' && !Number.isNaN(value) ? value : undefined;
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) return undefined;
    const [, key = '', raw = ''] = match;
    if (key in labels) return undefined;
    labels[key] = unescapeText(raw);
  }
  return labels;
}

/** Undoes the format's escapes: `\\` and `\n` (and `\"` in label values). */
function unescapeText(text: string): string {
  return text.replace(/\\(["\\n])/g, (_all, c: string) => (c === 'n' ? '\n' : c));
}
