/** Small helpers for benchmarks: they print figures, never assert on them. */
export function summarize(samplesMs: number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);

export function report(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(58)} ${value}\n`);
}
