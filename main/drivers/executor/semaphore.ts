// Limits how many things run at once (sshd refuses more than MaxSessions channels per connection, 10 by default).
export class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;

  constructor(private readonly limit: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    }
  }
}
