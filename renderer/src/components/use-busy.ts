import { useState } from 'react';
import { asClientError } from '../api/client';
import { toast } from '../stores/ui';

/** Runs one action at a time: busy while it runs, a toast naming what failed and why when it fails. */
export function useBusy(): [boolean, (failTitle: string, fn: () => Promise<unknown>) => Promise<boolean>] {
  const [busy, setBusy] = useState(false);
  const run = async (failTitle: string, fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    try {
      await fn();
      return true;
    } catch (err) {
      toast('error', failTitle, asClientError(err).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}
