/** Where a connection's ups and downs are reported (a pino logger fits). */
export interface StateLog {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/**
 * Up or down for one external service (PostgreSQL, Redis). A client that retries in the
 * background reports every failed attempt; this logs only the changes (one warning when the
 * service goes away, one line when it is back), so an outage is two log lines, not a flood.
 */
export class ConnectionState {
  private up: boolean | null = null;
  private log: StateLog | null = null;
  private reason = '';

  constructor(
    private readonly service: string,
    private readonly onChange?: (up: boolean) => void,
  ) {}

  /** Where to log from now on (the logger exists only once the app is built). */
  attach(log: StateLog): void {
    this.log = log;
    if (this.up === false) this.warn();
  }

  get isUp(): boolean {
    return this.up === true;
  }

  markUp(): void {
    if (this.up === true) return;
    const wasDown = this.up === false;
    this.up = true;
    this.onChange?.(true);
    if (wasDown) this.log?.info({ service: this.service }, `${this.service} is reachable again`);
  }

  markDown(error: unknown): void {
    if (this.up === false) return;
    this.up = false;
    this.reason =
      error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
    this.onChange?.(false);
    this.warn();
  }

  private warn(): void {
    this.log?.warn(
      { service: this.service, reason: this.reason },
      `${this.service} is unavailable (${this.reason}); retrying in the background`,
    );
  }
}
