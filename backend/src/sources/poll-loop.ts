/**
 * Runs `task` every `intervalMs`, never two at once: a slow poll delays the next one instead
 * of piling up. Errors are the task's to handle; one that escapes is reported, not fatal.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly onUnexpectedError: (error: unknown) => void
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const startedAt = Date.now();
      this.running = this.task()
        .catch(this.onUnexpectedError)
        .finally(() => {
          this.running = null;
          if (!this.stopped) {
            this.schedule(Math.max(0, this.intervalMs - (Date.now() - startedAt)));
          }
        });
    }, delayMs);
  }
}
