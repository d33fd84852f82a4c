import { useMemo } from 'react';
import {
  applyPreset,
  flip,
  resetView,
  rotateClockwise,
  toggleInvert,
  zoomOneToOne,
  zoomToFit,
} from '../viewer/readingTools';
import { PRIMARY_TOOLS } from '../viewer/measurementTools';
import type { StackViewer } from '../viewer/stackViewer';
import { moreFileWindows } from '../viewer/windowPresets';
import { useViewportState } from '../state/viewerStore';
import { WindowPresetMenu } from './WindowPresetMenu';

/** The reading tools as buttons and a window-preset menu; the keyboard offers the same (see the help). */
export function ReadingToolbar({
  viewer,
  slot,
  modality,
  onHelp,
}: {
  viewer: StackViewer;
  slot: number;
  modality: string;
  onHelp: () => void;
}) {
  // The menu also offers the file's further windows, read from the image on screen once it is.
  const sliceIndex = useViewportState(slot, (s) => s.sliceIndex);
  const sliceCount = useViewportState(slot, (s) => s.sliceCount);
  // A window on screen means the image is loaded, and with it the data set its windows come from.
  const shown = useViewportState(slot, (s) => s.windowWidth !== null);
  const imageId = sliceCount > 0 && shown ? viewer.viewport.getImageIds()[sliceIndex] : undefined;
  // Read once per image shown, not on each render of the toolbar.
  const more = useMemo(() => (imageId ? moreFileWindows(imageId) : []), [imageId]);
  const run = (action: (viewport: StackViewer['viewport']) => void) => () => {
    const viewport = viewer.viewport;
    if (viewport.getImageIds().length > 0 && viewport.getCornerstoneImage()) action(viewport);
  };
  return (
    <div className="reading-toolbar">
      <WindowPresetMenu
        modality={modality}
        more={more}
        testId="wl-preset-menu"
        onPick={(preset) => run((viewport) => applyPreset(viewport, preset))()}
      />
      <select
        aria-label="Left-button tool"
        data-testid="tool-menu"
        value=""
        onChange={(event) => {
          const tool = PRIMARY_TOOLS.find((candidate) => candidate.name === event.target.value);
          if (tool) viewer.setPrimaryTool(tool.name);
        }}
      >
        <option value="" disabled>
          Tool…
        </option>
        {PRIMARY_TOOLS.map((tool) => (
          <option key={tool.name} value={tool.name}>
            {tool.label} ({tool.key.toUpperCase()})
          </option>
        ))}
      </select>
      <button type="button" title="Invert (I)" onClick={run(toggleInvert)}>
        Invert
      </button>
      <button type="button" title="Rotate 90° (R)" onClick={run(rotateClockwise)}>
        Rotate
      </button>
      <button type="button" title="Flip horizontally (H)" onClick={run((v) => flip(v, 'horizontal'))}>
        Flip H
      </button>
      <button type="button" title="Flip vertically (V)" onClick={run((v) => flip(v, 'vertical'))}>
        Flip V
      </button>
      <button type="button" title="Zoom to fit (F)" onClick={run(zoomToFit)}>
        Fit
      </button>
      <button type="button" title="Zoom 1:1 (Z)" onClick={run(zoomOneToOne)}>
        1:1
      </button>
      <button type="button" title="Reset (Esc)" onClick={run(resetView)}>
        Reset
      </button>
      <button type="button" title="Keyboard shortcuts (?)" data-testid="help-button" onClick={onHelp}>
        ?
      </button>
    </div>
  );
}
