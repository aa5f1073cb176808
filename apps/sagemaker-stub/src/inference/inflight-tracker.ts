/** Counts background invocations so tests (and shutdown) can wait until none is queued or running. */
export class InflightTracker {
  private count = 0;
  private waiters: Array<() => void> = [];

  track<T>(promise: Promise<T>): Promise<T> {
    this.count += 1;
    const done = (): void => {
      this.count -= 1;
      if (this.count === 0) {
        for (const wake of this.waiters.splice(0)) {
          wake();
        }
      }
    };
    promise.then(done, done);
    return promise;
  }

  get size(): number {
    return this.count;
  }

  idle(): Promise<void> {
    if (this.count === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
