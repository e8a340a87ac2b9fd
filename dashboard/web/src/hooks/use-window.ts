import { useEffect, useRef, useState } from 'react';

/**
 * Windowing for long lists of fixed-height rows: only the rows in view (plus a few) are rendered,
 * so a run of hundreds of hosts or thousands of audit events scrolls like a short one.
 */
export function useWindow(count: number, rowHeight: number, overscan = 8) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, []);
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  return { ref, first, last, total: count * rowHeight, offset: first * rowHeight };
}
