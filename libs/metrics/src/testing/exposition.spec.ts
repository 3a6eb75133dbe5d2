import { metricValue, parseMetricsText } from './index';

const TEXT = [
  '# HELP rooms_total Rooms, with a \\\\ backslash and a \\n newline.',
  '# TYPE rooms_total counter',
  'rooms_total{gameId="quiz",note="say \\"hi\\"\\n"} 3',
  'rooms_total{gameId="eights"} 1 1700000000000',
  '# TYPE wait_seconds histogram',
  'wait_seconds_bucket{le="0.1"} 1',
  'wait_seconds_bucket{le="+Inf"} 2',
  'wait_seconds_sum 0.35',
  'wait_seconds_count 2',
  '',
].join('\n');

describe('parseMetricsText', () => {
  it('reads families, types, help, labels with escapes and values', () => {
    const families = parseMetricsText(TEXT);
    expect(families.get('rooms_total')).toEqual({
      name: 'rooms_total',
      type: 'counter',
      help: 'Rooms, with a \\ backslash and a \n newline.',
      samples: [
        { name: 'rooms_total', labels: { gameId: 'quiz', note: 'say "hi"\n' }, value: 3 },
        { name: 'rooms_total', labels: { gameId: 'eights' }, value: 1 },
      ],
    });
    expect(families.get('wait_seconds')!.samples.map((s) => s.name)).toEqual([
      'wait_seconds_bucket',
      'wait_seconds_bucket',
      'wait_seconds_sum',
      'wait_seconds_count',
    ]);
    expect(metricValue(families, 'wait_seconds_bucket', { le: '+Inf' })).toBe(2);
  });

  it.each([
    ['a sample of an undeclared family', 'orphan 1', /line 1 belongs to no family/],
    ['a value that is not a number', '# TYPE x gauge\nx one', /line 2 has a value that is not a number/],
    ['malformed labels', '# TYPE x gauge\nx{a=b} 1', /line 2 has malformed labels/],
    ['a repeated label', '# TYPE x gauge\nx{a="1",a="2"} 1', /line 2 has malformed labels/],
    ['an unknown type', '# TYPE x meter', /line 1 has an unknown type/],
    ['a type declared twice', '# TYPE x gauge\n# TYPE x gauge', /declares a type twice/],
    ['a line that is not a sample', '# TYPE x gauge\nx{a="1"', /line 2 is not a sample/],
  ])('rejects %s, naming the line', (_label, text, message) => {
    expect(() => parseMetricsText(text)).toThrow(message);
  });
});

describe('metricValue', () => {
  it('finds the one sample whose labels include the given ones, and refuses to guess between several', () => {
    expect(metricValue(TEXT, 'rooms_total', { gameId: 'quiz' })).toBe(3);
    expect(metricValue(TEXT, 'rooms_total', { gameId: 'chess' })).toBeUndefined();
    expect(() => metricValue(TEXT, 'rooms_total')).toThrow('2 samples of rooms_total match {}');
  });
});
