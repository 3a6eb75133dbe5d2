import { ListenerSet } from './listener-set';

describe('ListenerSet', () => {
  it('calls listeners in order, and a removed one no more', () => {
    const set = new ListenerSet<number>();
    const calls: string[] = [];
    set.add((n) => calls.push(`a${n}`));
    const removeB = set.add((n) => calls.push(`b${n}`));
    set.emit(1);
    removeB();
    removeB();
    set.emit(2);
    expect(calls).toEqual(['a1', 'b1', 'a2']);
  });

  it('counts the same function subscribed twice as two subscriptions', () => {
    const set = new ListenerSet<number>();
    const seen: number[] = [];
    const listener = (n: number): void => void seen.push(n);
    const first = set.add(listener);
    set.add(listener);
    first();
    set.emit(7);
    expect(seen).toEqual([7]);
  });

  it('keeps calling the others when a listener throws, and rethrows its error asynchronously', () => {
    const deferred: (() => void)[] = [];
    const spy = jest
      .spyOn(globalThis, 'queueMicrotask')
      .mockImplementation((task) => void deferred.push(task));
    try {
      const set = new ListenerSet<number>();
      const seen: number[] = [];
      set.add(() => {
        throw new Error('listener bug');
      });
      set.add((n) => seen.push(n));
      expect(() => set.emit(3)).not.toThrow();
      expect(seen).toEqual([3]);
      expect(deferred).toHaveLength(1);
      expect(() => deferred[0]!()).toThrow('listener bug');
    } finally {
      spy.mockRestore();
    }
  });
});
