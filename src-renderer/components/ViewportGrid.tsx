import { LAYOUTS, slotCount, useLayoutStore } from '../state/layoutStore';
import { useScrollSync } from '../viewer/useScrollSync';
import { ViewportSlot } from './ViewportSlot';

/** The viewports of the current layout, in rows; one of them is active (framed when there are several). */
export function ViewportGrid() {
  const layout = useLayoutStore((s) => s.layout);
  const activeSlot = useLayoutStore((s) => s.activeSlot);
  const count = slotCount(layout);
  useScrollSync(count);
  const { columns, rows } = LAYOUTS[layout];
  return (
    <div
      className="viewport-grid"
      data-testid="viewport-grid"
      data-layout={layout}
      style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}
    >
      {Array.from({ length: count }, (_, slot) => (
        <ViewportSlot key={slot} slot={slot} active={slot === activeSlot} framed={count > 1} />
      ))}
    </div>
  );
}
