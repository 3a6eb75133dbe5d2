/** The requests a gateway is working on, so that a drain can wait until the last one ends. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Counts `work` until it settles, and returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = (): void => {
      this.pending.delete(work);
    };
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is in flight (work that starts meanwhile is waited for too), or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, timeoutMs));
    });
    let timedOut = false;
    void timeout.then(() => {
      timedOut = true;
    });
    while (this.pending.size > 0 && !timedOut) {
      await Promise.race([Promise.allSettled([...this.pending]), timeout]);
    }
    clearTimeout(timer);
  }
}
