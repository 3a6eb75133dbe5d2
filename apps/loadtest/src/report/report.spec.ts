import type { LatencySummary, StepResult } from '../types';
import { renderChart, renderStepTable } from './index';

function latency(p95: number): LatencySummary {
  return { count: 1000, p50: p95 / 3, p95, p99: p95 * 1.5, p999: p95 * 2, max: p95 * 3 };
}

function step(players: number, p95: number, rssMb: number | null, overrides: Partial<StepResult> = {}): StepResult {
  return {
    players,
    connected: players,
    roomSize: 10,
    game: 'party-bench',
    transport: 'light',
    windowMs: 10_000,
    connect: latency(5),
    ack: latency(p95 * 0.8),
    ownView: latency(p95),
    actionsPerSecond: players / 2,
    pushesPerSecond: players * 5,
    bytesPerSecond: players * 5 * 120,
    errors: {},
    drops: 0,
    server: { cpu: players / 10_000, rssBytes: rssMb === null ? null : rssMb * 2 ** 20, gcSecondsPerSecond: 0.004, gcMaxSeconds: 0.01 },
    ...overrides,
  };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict parser for the XML subset an SVG uses (elements, attributes in double quotes, text, the five
 * predefined entities and numeric references): throws on anything malformed, so a passing parse means the
 * document is well-formed.
 */
function parseXml(source: string): XmlElement {
  const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  const checkText = (text: string, where: number): void => {
    for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
      if (!entity.test(text.slice(i))) throw new Error(`bad entity at ${where + i}: ${text.slice(i, i + 12)}`);
    }
    if (text.includes('<')) throw new Error(`raw < at ${where}`);
  };
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const body = source.replace(/^<\?xml[^?]*\?>\s*/, '');
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = lt < 0 ? body.slice(i) : body.slice(i, lt);
    checkText(text, i);
    stack[stack.length - 1]!.text += text;
    if (lt < 0) break;
    const gt = body.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = body.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
    } else {
      const selfClosing = tag.endsWith('/');
      const inner = selfClosing ? tag.slice(0, -1) : tag;
      const match = /^([A-Za-z][\w:-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*$/.exec(inner);
      if (match === null) throw new Error(`malformed tag <${tag}>`);
      const attributes: Record<string, string> = {};
      for (const a of (match[2] ?? '').matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)) {
        if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]}`);
        checkText(a[2]!, lt);
        attributes[a[1]!] = a[2]!;
      }
      const element: XmlElement = { name: match[1]!, attributes, children: [], text: '' };
      stack[stack.length - 1]!.children.push(element);
      if (!selfClosing) stack.push(element);
    }
    i = gt + 1;
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('a document has exactly one root element');
  if (root.text.trim() !== '') throw new Error('text outside the root element');
  return root.children[0]!;
}

function all(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((c) => all(c, name))];
}

function texts(element: XmlElement): string[] {
  return all(element, 'text').map((t) => t.text);
}

describe('renderStepTable', () => {
  it('renders one row per step under a header, with the figures a reader compares', () => {
    const table = renderStepTable([step(1000, 12, 80), step(2000, 48, 120, { errors: { RATE_LIMITED: 3, timeout: 1 }, drops: 2 })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('own view p50 / p95 / p99 / max (ms)');
    expect(lines[1]).toMatch(/^\| ---:/);
    const cells = lines[3]!.split(' | ');
    expect(cells[0]).toBe('| 2,000');
    expect(lines[3]).toContain('16 / 48 / 72 / 144'); // own view
    expect(lines[3]).toContain('| 120 |'); // bytes per push
    expect(lines[3]).toContain('| 20 |'); // CPU %: 0.2 of a core
    expect(lines[3]).toContain('| 61.4 |'); // 120 MB / 2000 players
    expect(lines[3]).toContain('| 4.0 |'); // GC ms/s
    expect(lines[3]).toContain('RATE_LIMITED 3, timeout 1');
    expect(lines[3]!.endsWith('| 2 |')).toBe(true);
  });

  it('shows missing server figures and an empty window as dashes', () => {
    const quiet = step(10, 5, null, {
      pushesPerSecond: 0,
      bytesPerSecond: 0,
      ownView: { count: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0 },
      server: { cpu: null, rssBytes: null, gcSecondsPerSecond: null, gcMaxSeconds: null },
    });
    const row = renderStepTable([quiet]).split('\n')[2]!;
    expect(row.split(' | ').filter((c) => c === '–')).toHaveLength(5);
  });

  it('gives the header alone for no steps', () => {
    expect(renderStepTable([]).split('\n')).toHaveLength(2);
  });

  it('escapes pipes in error codes so the row keeps its columns', () => {
    const row = renderStepTable([step(10, 5, 1, { errors: { 'weird|code': 1 } })]).split('\n')[2]!;
    expect(row).toContain('weird\\|code 1');
    expect(row.split(/(?<!\\)\|/).length).toBe(14);
  });
});

describe('renderChart', () => {
  const series = [
    { label: 'reference', steps: [step(1000, 4, 60), step(2000, 9, 90), step(4000, 30, 150), step(8000, 400, 260)] },
    { label: 'gateway <memory> & "friends"', steps: [step(1000, 8, 90), step(2000, 20, 140), step(4000, 120, 230)] },
  ];

  it('is a well-formed SVG with one line per series, a legend and the 50 ms threshold', () => {
    const svg = parseXml(renderChart(series, { title: 'party-bench, rooms of 10' }));
    expect(svg.name).toBe('svg');
    expect(svg.attributes['xmlns']).toBe('http://www.w3.org/2000/svg');
    // two panels, one path per series in each
    expect(all(svg, 'path')).toHaveLength(4);
    expect(all(svg, 'circle')).toHaveLength(14);
    const words = texts(svg);
    expect(words).toEqual(expect.arrayContaining(['players', 'ms (log scale)', 'MB', '50 ms threshold', 'reference', 'party-bench, rooms of 10']));
    const dashed = all(svg, 'line').filter((l) => l.attributes['stroke-dasharray'] !== undefined);
    expect(dashed).toHaveLength(1);
  });

  it('escapes labels', () => {
    const text = renderChart(series);
    expect(text).toContain('gateway &lt;memory&gt; &amp; &quot;friends&quot;');
    expect(text).not.toContain('<memory>');
    expect(texts(parseXml(text))).toContain('gateway &lt;memory&gt; &amp; &quot;friends&quot;');
  });

  it('puts the threshold line where 50 ms is on the latency axis, between 10 and 100', () => {
    const svg = parseXml(renderChart(series));
    const tickY = (label: string): number => {
      const t = all(svg, 'text').find((e) => e.text === label && e.attributes['text-anchor'] === 'end');
      return Number(t!.attributes['y']);
    };
    const threshold = Number(all(svg, 'line').find((l) => l.attributes['stroke-dasharray'] !== undefined)!.attributes['y1']);
    const expected = tickY('10') + (tickY('100') - tickY('10')) * Math.log10(5);
    expect(threshold).toBeCloseTo(expected, 0);
  });

  it('renders a valid chart that says so for no series or series without steps', () => {
    for (const input of [[], [{ label: 'empty', steps: [] }]]) {
      const svg = parseXml(renderChart(input));
      expect(texts(svg)).toContain('no data');
      expect(all(svg, 'path')).toHaveLength(0);
    }
  });

  it('marks a single step as a point', () => {
    const svg = parseXml(renderChart([{ label: 'one', steps: [step(500, 3, 40)] }]));
    expect(all(svg, 'circle')).toHaveLength(2);
    for (const c of all(svg, 'circle')) {
      expect(Number.isFinite(Number(c.attributes['cx']))).toBe(true);
      expect(Number.isFinite(Number(c.attributes['cy']))).toBe(true);
    }
  });

  it('leaves a gap where RSS is unknown rather than drawing through it', () => {
    const svg = parseXml(renderChart([{ label: 'gap', steps: [step(100, 3, 40), step(200, 3, null), step(300, 3, 60)] }]));
    const rssPath = all(svg, 'path')[1]!.attributes['d']!;
    expect(rssPath.match(/M/g)).toHaveLength(2);
  });
});
