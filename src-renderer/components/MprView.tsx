import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { selectOpenedStudy, useLibraryStore } from '../state/libraryStore';
import { stackImageIds } from '../viewer/imageIds';
import { MprLabelmapOverlay } from '../viewer/mprLabelmap';
import { MPR_PLANES, MPR_SLOTS, type MprPlane, type MprSlot } from '../viewer/mprViewer';
import { useLabelmapOverlays, type LabelmapTarget } from '../viewer/seriesLabelmaps';
import { useMprCine } from '../viewer/useMprCine';
import { useMprViewer } from '../viewer/useMprViewer';
import { MPR_PRIMARY_TOOLS, MprReadingTools, type MprPrimaryToolName } from '../viewer/mprReadingTools';
import { MPR_SHORTCUTS, useMprKeys } from '../viewer/useMprKeys';
import type { PngTarget } from '../viewer/viewportPng';
import { moreFileWindows } from '../viewer/windowPresets';
import type { Shortcut } from '../viewer/useViewerKeys';
import { CineButtons } from './CineControl';
import { MprReadingToolbar } from './MprReadingToolbar';
import { MprViewOverlay, PLANE_LABEL } from './MprViewOverlay';
import { ShortcutHelp } from './ShortcutHelp';

const CROSSHAIRS = MPR_PRIMARY_TOOLS[0].name;
/** The slab slider's range: up to 50 mm covers the usual thick-slab MIPs (lung nodules, vessels). */
const MAX_SLAB_MM = 50;

/**
 * The 1+3 MPR layout of one series: a large view of the chosen plane (axial first: the plane CT
 * is read in; a double-click on a small view enlarges that plane) and the three orthogonal planes,
 * with crosshairs, synchronised window/level, a MIP slab control, the series' segmentations and
 * the reading tools (keys, rotation, flips and cine act on the active view: the one last clicked).
 */
export function MprView({
  series,
  instances,
  helpShown,
  toggleHelp,
  extraShortcuts,
  pngTarget,
}: {
  series: SeriesSummary;
  instances: readonly InstanceRef[];
  helpShown: boolean;
  toggleHelp: () => void;
  /** Shortcuts that work in MPR as elsewhere (the layout keys), for the help overlay. */
  extraShortcuts: readonly Shortcut[];
  /** Where this view keeps what "Save PNG" saves: the active view, named for its plane and slice. */
  pngTarget: MutableRefObject<(() => PngTarget | null) | null>;
}) {
  const refs = {
    large: useRef<HTMLDivElement>(null),
    axial: useRef<HTMLDivElement>(null),
    sagittal: useRef<HTMLDivElement>(null),
    coronal: useRef<HTMLDivElement>(null),
  };
  const { viewer, readouts } = useMprViewer(refs);
  // The series shown is the one opened (the viewer pane passes it).
  const study = useLibraryStore(selectOpenedStudy);
  const [loading, setLoading] = useState(false);
  /** Why the volume could not be built, shown where it would have been. */
  const [failure, setFailure] = useState<string | null>(null);
  /** The volume on screen once whole: its id, series and slices in stack order; null while it builds. */
  const [volume, setVolume] = useState<{
    id: string;
    seriesId: number;
    imageIds: readonly string[];
  } | null>(null);
  const [slab, setSlab] = useState(0);
  const [largePlane, setLargePlane] = useState<MprPlane>('axial');
  const [tools, setTools] = useState<MprReadingTools | null>(null);
  const [tool, setToolState] = useState<MprPrimaryToolName>(CROSSHAIRS);
  const [activeSlot, setActiveSlot] = useState<MprSlot>('large');
  const setTool = useCallback(
    (next: MprPrimaryToolName) => {
      tools?.setPrimaryTool(next);
      setToolState(next);
    },
    [tools],
  );

  const { cine, state: cineState } = useMprCine(viewer, activeSlot, volume?.id ?? null);
  // The reading tools act on a whole volume: none while it builds, nor after a failed build.
  const volumeTools = volume ? tools : null;
  useMprKeys(volumeTools, cine, activeSlot, series.modality, setTool, toggleHelp);

  useEffect(() => {
    if (!viewer) return;
    const created = new MprReadingTools(viewer);
    setTools(created);
    setToolState(CROSSHAIRS);
    return () => created.dispose();
  }, [viewer]);

  useEffect(() => {
    if (!viewer) return;
    const imageIds = stackImageIds(instances);
    const seriesId = series.seriesId;
    let superseded = false;
    setLoading(true);
    setFailure(null);
    setVolume(null);
    void viewer
      .showVolume(imageIds, String(seriesId))
      .then(() => {
        const id = viewer.currentVolumeId;
        if (id && !superseded) setVolume({ id, seriesId, imageIds });
      })
      .catch((error: unknown) => {
        if (!superseded) setFailure(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        if (!superseded) setLoading(false);
      });
    return () => {
      superseded = true;
    };
  }, [viewer, instances, series.seriesId]);

  // The series' segmentations (shown SEGs, its AI result) as labelmap volumes on the volume's grid.
  const labelmapTarget = useMemo((): LabelmapTarget<MprLabelmapOverlay> | null => {
    if (!viewer || !volume) return null;
    return {
      create: () => new MprLabelmapOverlay(viewer.viewportIds),
      show: async (overlay, source) => overlay.showSource(volume.id, volume.imageIds, source),
      render: () => viewer.render(),
    };
  }, [viewer, volume]);
  // The volume's series, not the newly opened one: its overlays go with that volume.
  useLabelmapOverlays('mpr', volume?.seriesId ?? null, labelmapTarget);

  const moreWindows = useMemo(() => {
    const imageId = volume ? viewer?.fileImageId : null;
    return imageId ? moreFileWindows(imageId) : [];
  }, [viewer, volume]);
  useEffect(() => {
    pngTarget.current = () => {
      const element = refs[activeSlot].current;
      if (!viewer || !element || viewer.volumeInfo()?.loaded !== true) return null;
      const plane = activeSlot === 'large' ? largePlane : activeSlot;
      return { element, fileName: `mpr-${plane}-slice${viewer.sliceIndex(activeSlot) + 1}` };
    };
    return () => {
      pngTarget.current = null;
    };
  });
  useEffect(() => viewer?.setSlabThickness(slab), [viewer, slab]);
  useEffect(() => viewer?.setLargePlane(largePlane), [viewer, largePlane]);

  return (
    <div className="mpr" data-testid="mpr">
      <div className="mpr-controls">
        <MprReadingToolbar
          tools={volumeTools}
          modality={series.modality}
          moreWindows={moreWindows}
          activeSlot={activeSlot}
          tool={tool}
          onTool={setTool}
          onHelp={toggleHelp}
        />
        <CineButtons
          player={cine}
          playing={cineState.cinePlaying}
          rate={cineState.frameRate}
          canPlay={volume !== null}
          testId="mpr-cine"
        />
        <label>
          Large view{' '}
          <select
            data-testid="mpr-large-plane"
            disabled={failure !== null}
            value={largePlane}
            onChange={(event) => setLargePlane(event.target.value as MprPlane)}
          >
            {MPR_PLANES.map((plane) => (
              <option key={plane} value={plane}>
                {PLANE_LABEL[plane]}
              </option>
            ))}
          </select>
        </label>
        <label title="Maximum-intensity projection over this thickness; 0 shows thin slices">
          MIP slab{' '}
          <input
            type="range"
            min={0}
            max={MAX_SLAB_MM}
            step={1}
            value={slab}
            disabled={!volume}
            aria-label="MIP slab thickness (slider)"
            onChange={(event) => setSlab(Number(event.target.value))}
          />{' '}
          <input
            type="number"
            min={0}
            max={MAX_SLAB_MM}
            step={0.5}
            value={slab}
            disabled={!volume}
            data-testid="mpr-slab"
            aria-label="MIP slab thickness in mm"
            onChange={(event) => {
              const value = Number(event.target.value);
              if (Number.isFinite(value)) setSlab(Math.min(MAX_SLAB_MM, Math.max(0, value)));
            }}
          />{' '}
          mm
        </label>
      </div>
      <div className="mpr-grid">
        {MPR_SLOTS.map((slot) => (
          <div
            key={slot}
            className={`viewport-frame mpr-${slot}${slot === activeSlot ? ' active' : ''}`}
            // After a failed build the empty views would still show the crosshairs' lines.
            style={failure ? { visibility: 'hidden' } : undefined}
          >
            <div
              className="viewport"
              ref={refs[slot]}
              data-testid={`mpr-viewport-${slot}`}
              data-active={slot === activeSlot}
              tabIndex={0}
              onPointerDownCapture={() => setActiveSlot(slot)}
              onDoubleClick={slot === 'large' ? undefined : () => setLargePlane(slot)}
            />
            <MprViewOverlay
              slot={slot}
              readout={readouts[slot]}
              study={slot === 'large' ? study : undefined}
              series={series}
            />
          </div>
        ))}
        {loading && <div className="viewport-loading">Building the volume…</div>}
        {failure && (
          <div className="viewport-error" role="alert" data-testid="mpr-error">
            The volume could not be built: {failure}
          </div>
        )}
        {helpShown && (
          <ShortcutHelp
            shortcuts={[...MPR_SHORTCUTS, ...extraShortcuts]}
            modality={series.modality}
            onClose={toggleHelp}
          />
        )}
      </div>
    </div>
  );
}
