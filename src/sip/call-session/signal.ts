/** A promise with its resolve at hand, for the moments a call waits for (the caller gone, the agent gone). Resolves once. */
export class Signal<T = void> {
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private done = false;

  constructor() {
    this.promise = new Promise<T>((resolve) => (this.resolveFn = resolve));
  }

  resolve(value: T): void {
    if (this.done) return;
    this.done = true;
    this.resolveFn(value);
  }

  get fired(): boolean {
    return this.done;
  }
}
