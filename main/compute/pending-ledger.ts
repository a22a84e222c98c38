// Amounts admitted but not written yet: a multi-create checks its quota once, then writes its rows in
// chunks between which other requests run; until a row lands, the ledger counts it as used.

export interface Hold {
  /** `n` more items are now rows (counted by the table itself). */
  landed(n: number): void;
  /** Gives back whatever has not landed (call it in a finally). */
  release(): void;
}

export class PendingLedger<K extends string> {
  private readonly byKey = new Map<string, Record<K, number>>();

  constructor(private readonly fields: readonly K[]) {}

  /** What is pending under `key` (zeros when nothing is). */
  get(key: string): Record<K, number> {
    return { ...(this.byKey.get(key) ?? this.zero()) };
  }

  /** Holds `count` items of `perItem` each under `key`. */
  hold(key: string, count: number, perItem: Record<K, number>): Hold {
    let left = count;
    const move = (n: number) => {
      const now = this.byKey.get(key) ?? this.zero();
      for (const f of this.fields) now[f] += n * perItem[f];
      if (this.fields.every((f) => now[f] === 0)) this.byKey.delete(key);
      else this.byKey.set(key, now);
    };
    move(count);
    return {
      landed: (n) => {
        const k = Math.min(n, left);
        left -= k;
        move(-k);
      },
      release: () => {
        move(-left);
        left = 0;
      },
    };
  }

  private zero(): Record<K, number> {
    return Object.fromEntries(this.fields.map((f) => [f, 0])) as Record<K, number>;
  }
}
