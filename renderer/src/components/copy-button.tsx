import { useEffect, useState, type ReactElement } from 'react';
import { Icon } from './icons';
import { toast } from '../stores/ui';

// The async Clipboard API needs a secure context; a hidden textarea and execCommand cover the rest.
async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* permission refused: fall back below */
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The browser refused to copy; select the text and copy it by hand.');
}

/** Copies a text and says so for a moment; `onCopied` tells the caller it was copied (e.g. that a shown-once secret is safe). */
export function CopyButton({ text, label, onCopied }: { text: string; label: string; onCopied?: () => void }): ReactElement {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = async () => {
    try {
      await writeClipboard(text);
      setCopied(true);
      onCopied?.();
    } catch (err) {
      toast('error', `Could not copy ${label}`, (err as Error).message);
    }
  };
  return (
    <button type="button" className="btn sm copy-btn" aria-label={`Copy ${label}`} onClick={() => void copy()}>
      {copied ? <Icon.check /> : <Icon.copy />} {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
