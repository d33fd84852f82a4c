import { LAYOUTS, useLayoutStore, type LayoutId } from '../state/layoutStore';

/** The layout menu and the synchronised-scrolling toggle. */
export function LayoutControls() {
  const layout = useLayoutStore((s) => s.layout);
  const setLayout = useLayoutStore((s) => s.setLayout);
  const syncScroll = useLayoutStore((s) => s.syncScroll);
  const setSyncScroll = useLayoutStore((s) => s.setSyncScroll);
  return (
    <div className="layout-controls">
      <select
        aria-label="Layout"
        data-testid="layout-menu"
        value={layout}
        onChange={(event) => setLayout(event.target.value as LayoutId)}
      >
        {(Object.keys(LAYOUTS) as LayoutId[]).map((id) => (
          <option key={id} value={id}>
            {LAYOUTS[id].label}
          </option>
        ))}
      </select>
      <label title="Viewports of the same frame of reference scroll together">
        <input
          type="checkbox"
          data-testid="sync-scroll"
          checked={syncScroll}
          onChange={(event) => setSyncScroll(event.target.checked)}
        />{' '}
        Sync
      </label>
    </div>
  );
}
