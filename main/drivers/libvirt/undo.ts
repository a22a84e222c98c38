// A last-in-first-out undo list for multi-step work (after incus shared/revert): register each undo
// right after its step succeeds; on failure, unwind in reverse and rethrow the original error.
export class UndoList {
  private steps: { what: string; undo: () => Promise<unknown> }[] = [];

  add(what: string, undo: () => Promise<unknown>): void {
    this.steps.push({ what, undo });
  }

  /** Runs every undo, newest first; one failing undo does not stop the rest. */
  async unwind(log?: (line: string) => void): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.undo();
        log?.(`undone: ${step.what}`);
      } catch (err) {
        log?.(`could not undo ${step.what}: ${(err as Error).message}`);
      }
    }
    this.steps = [];
  }

  /** Success: keep everything. */
  commit(): void {
    this.steps = [];
  }
}
