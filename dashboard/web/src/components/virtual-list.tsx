import type { ReactNode } from 'react';
import { useWindow } from '../hooks/use-window';

interface Props<T> {
  items: T[];
  rowHeight: number;
  /** The scrolling box's height in CSS pixels. */
  height: number;
  header?: ReactNode;
  row: (item: T, index: number) => ReactNode;
  label: string;
}

/**
 * A scrolling list that renders only the rows in view. The header lives inside the one box that
 * scrolls both ways and sticks to its top, so header and rows can never scroll apart.
 */
export function VirtualList<T>({ items, rowHeight, height, header, row, label }: Props<T>) {
  const w = useWindow(items.length, rowHeight);
  return (
    <div className="vlist" role="table" aria-label={label}>
      <div ref={w.ref} className="vlist-scroll" style={{ maxHeight: height }}>
        {header && <div className="vlist-head">{header}</div>}
        <div style={{ height: w.total, position: 'relative' }}>
          <div style={{ transform: `translateY(${w.offset}px)` }}>
            {items.slice(w.first, w.last).map((item, i) => (
              <div key={w.first + i} className="vlist-row" role="row" style={{ height: rowHeight }}>
                {row(item, w.first + i)}
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
