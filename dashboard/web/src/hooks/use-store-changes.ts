import { useEffect } from 'react';

// One stream for the page, however many lists follow it: a browser keeps only six connections
// to a server, and every open tab holds its own.
const listeners = new Set<() => void>();
let es: EventSource | undefined;

const notify = () => listeners.forEach((l) => l());
function open(): void {
  if (es || document.hidden || listeners.size === 0) return;
  es = new EventSource('/api/changes');
  es.addEventListener('change', notify);
}
function close(): void {
  es?.close();
  es = undefined;
}
function onVisibility(): void {
  if (document.hidden) return close();
  open();
  // What changed while the tab was hidden.
  notify();
}

/**
 * Calls `onChange` whenever the store's lists change (the `change` events of `/api/changes`):
 * a run started or ended elsewhere, results recorded, a host collected. The stream is closed while
 * the tab is hidden; showing the tab again fetches once.
 */
export function useStoreChanges(onChange: (() => void) | undefined): void {
  useEffect(() => {
    if (!onChange) return;
    if (listeners.size === 0) document.addEventListener('visibilitychange', onVisibility);
    listeners.add(onChange);
    open();
    return () => {
      listeners.delete(onChange);
      if (listeners.size > 0) return;
      document.removeEventListener('visibilitychange', onVisibility);
      close();
    };
  }, [onChange]);
}
