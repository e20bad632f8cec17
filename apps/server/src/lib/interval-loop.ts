/**
 * A background loop that runs one pass every `intervalMs`: the shape of every worker a server instance
 * runs (the Discord webhook outbox, the push worker, the game-night closer). One pass at a time, so a
 * slow database or a slow outside service never piles passes up; a failing pass is logged and the next
 * one runs as usual; the timer alone never keeps the process alive; `stop()` waits for the pass in flight.
 */
import type { Logger } from 'pino';

export class IntervalLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.pass()
        .catch((err: unknown) => this.logger.error({ err }, `${this.name} pass failed`))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
