/** Something that can be told to stop: what every `on…` subscription of the client returns. */
export type Unsubscribe = () => void;

/**
 * The listeners of one kind of client notification. A listener that throws does not stop the others or the
 * client: its error is rethrown asynchronously (as an `EventTarget` reports a listener's error), where it stays visible.
 */
export class ListenerSet<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Adds `listener`; the returned function removes it (calling it twice is harmless). */
  add(listener: (value: T) => void): Unsubscribe {
    // A wrapper per subscription, so the same function subscribed twice is called twice and removed once.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Calls every listener with `value`, in subscription order. */
  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
