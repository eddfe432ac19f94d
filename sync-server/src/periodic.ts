// Work a server does now and then, on a timer and when poked (the prescription outbox, the reminder dispatcher): one
// pass at a time, a failed pass logged, and a stop that waits for the pass under way.

export class Periodic {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void
  ) {}

  start(intervalMs: number) {
    this.timer = setInterval(() => this.poke(), intervalMs);
    this.poke();
  }

  /** A pass now, unless one is under way or the work stopped. */
  poke() {
    if (this.stopped || this.running) return;
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => (this.running = undefined));
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
