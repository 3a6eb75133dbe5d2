import { assertJsonValue, InvalidArgumentError, isGameBuddiesError } from './index';

describe('assertJsonValue', () => {
  it('accepts plain JSON data, nested', () => {
    expect(() => assertJsonValue({ a: [1, 'x', null, true, { b: [] }], c: Object.create(null) })).not.toThrow();
  });

  it.each([
    ['a function', { f: () => 1 }, 'state.f'],
    ['undefined', { u: undefined }, 'state.u'],
    ['NaN', [1, Number.NaN], 'state[1]'],
    ['Infinity', { n: Infinity }, 'state.n'],
    ['a Date', { when: new Date(0) }, 'state.when'],
    ['a Map', { m: new Map() }, 'state.m'],
    ['a bigint', { b: BigInt(1) }, 'state.b'],
    ['a symbol', { s: Symbol('x') }, 'state.s'],
  ])('rejects %s with INVALID_ARGUMENT naming the path', (_label, value, path) => {
    let caught: unknown;
    try {
      assertJsonValue(value, 'state');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect(isGameBuddiesError(caught, 'INVALID_ARGUMENT')).toBe(true);
    expect((caught as InvalidArgumentError).details).toEqual({ path });
  });

  it('rejects a cycle but accepts the same object twice side by side', () => {
    const shared = { x: 1 };
    expect(() => assertJsonValue({ a: shared, b: shared })).not.toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => assertJsonValue(cyclic)).toThrow(/cycle/);
  });

  it('rejects nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(() => assertJsonValue(deep, 'v', { maxDepth: 5 })).toThrow(/deeper than 5/);
  });
});

describe('GameBuddiesError', () => {
  it('serialises to its code, message and details', () => {
    const error = new InvalidArgumentError('bad', { path: 'x' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'INVALID_ARGUMENT', message: 'bad', details: { path: 'x' } });
    expect(error.name).toBe('InvalidArgumentError');
    expect(error).toBeInstanceOf(Error);
  });
});
