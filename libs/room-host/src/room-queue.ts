/**
 * Runs the tasks for one room one after another, so that this process never races itself on a room (other
 * processes are kept out by compare-and-set). Rooms are independent of each other.
 */
export class RoomQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued before it for `code`; resolves or rejects with its outcome. */
  run<T>(code: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(code) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(code, tail);
    void tail.then(() => {
      if (this.tails.get(code) === tail) this.tails.delete(code);
    });
    return result;
  }

  /** How many rooms have work queued. */
  get size(): number {
    return this.tails.size;
  }
}
