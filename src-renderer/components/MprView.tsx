import { utilities } from '@cornerstonejs/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { reportError } from '../state/errorStore';
import { stackImageIds } from '../viewer/imageIds';
import { MprLabelmapOverlay } from '../viewer/mprLabelmap';
import { MPR_PLANES, MPR_SLOTS, type MprPlane, type MprSlot, type MprViewReadout } from '../viewer/mprViewer';
import { useLabelmapOverlays, type LabelmapTarget } from '../viewer/seriesLabelmaps';
import { useMprViewer } from '../viewer/useMprViewer';
import { presetsFor } from '../viewer/windowPresets';

const PLANE_LABEL: Record<MprPlane, string> = { axial: 'Axial', sagittal: 'Sagittal', coronal: 'Coronal' };
/** The slab slider's range: up to 50 mm covers the usual thick-slab MIPs (lung nodules, vessels). */
const MAX_SLAB_MM = 50;

/**
 * The 1+3 MPR layout of one series: a large view of the chosen plane (axial first: the plane CT
 * is read in; a double-click on a small view enlarges that plane) and the three orthogonal planes,
 * with crosshairs, synchronised window/level, a MIP slab control, and the series' segmentations.
 */
export function MprView({ series, instances }: { series: SeriesSummary; instances: readonly InstanceRef[] }) {
  const refs = {
    large: useRef<HTMLDivElement>(null),
    axial: useRef<HTMLDivElement>(null),
    sagittal: useRef<HTMLDivElement>(null),
    coronal: useRef<HTMLDivElement>(null),
  };
  const { viewer, readouts } = useMprViewer(refs);
  const [loading, setLoading] = useState(false);
  /** The volume on screen once whole: its id, series and slices in stack order; null while it builds. */
  const [volume, setVolume] = useState<{
    id: string;
    seriesId: number;
    imageIds: readonly string[];
  } | null>(null);
  const [slab, setSlab] = useState(0);
  const [largePlane, setLargePlane] = useState<MprPlane>('axial');
  // The fixed (CT) windows; the file's own window is what the volume opens with.
  const fixedPresets = presetsFor(series.modality).flatMap((preset) =>
    preset.kind === 'fixed' ? [preset] : [],
  );

  useEffect(() => {
    if (!viewer) return;
    const imageIds = stackImageIds(instances);
    const seriesId = series.seriesId;
    let superseded = false;
    setLoading(true);
    setVolume(null);
    void viewer
      .showVolume(imageIds, String(seriesId))
      .then(() => {
        const id = viewer.currentVolumeId;
        if (id && !superseded) setVolume({ id, seriesId, imageIds });
      })
      .catch((error: unknown) =>
        reportError(
          new Error(`Could not build the MPR volume: ${error instanceof Error ? error.message : error}`),
        ),
      )
      .finally(() => setLoading(false));
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

  useEffect(() => viewer?.setSlabThickness(slab), [viewer, slab]);
  useEffect(() => viewer?.setLargePlane(largePlane), [viewer, largePlane]);

  return (
    <div className="mpr" data-testid="mpr">
      <div className="mpr-controls">
        {fixedPresets.length > 0 && (
          <select
            aria-label="Window preset"
            data-testid="mpr-wl-preset"
            value=""
            onChange={(event) => {
              const preset = fixedPresets.find((candidate) => candidate.id === event.target.value);
              if (!preset || !viewer) return;
              const { lower, upper } = utilities.windowLevel.toLowHighRange(preset.width, preset.center);
              viewer.setVoiRange(lower, upper);
            }}
          >
            <option value="" disabled>
              Window…
            </option>
            {fixedPresets.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label} ({preset.width}/{preset.center})
              </option>
            ))}
          </select>
        )}
        <label>
          Large view{' '}
          <select
            data-testid="mpr-large-plane"
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
            aria-label="MIP slab thickness (slider)"
            onChange={(event) => setSlab(Number(event.target.value))}
          />{' '}
          <input
            type="number"
            min={0}
            max={MAX_SLAB_MM}
            step={0.5}
            value={slab}
            data-testid="mpr-slab"
            aria-label="MIP slab thickness in mm"
            onChange={(event) => {
              const value = Number(event.target.value);
              if (Number.isFinite(value)) setSlab(Math.min(MAX_SLAB_MM, Math.max(0, value)));
            }}
          />{' '}
          mm
        </label>
        <span className="muted">
          Left: crosshairs · Right: window/level · Wheel: slices · Ctrl+wheel: zoom
        </span>
      </div>
      <div className="mpr-grid">
        {MPR_SLOTS.map((slot) => (
          <div key={slot} className={`viewport-frame mpr-${slot}`}>
            <div
              className="viewport"
              ref={refs[slot]}
              data-testid={`mpr-viewport-${slot}`}
              tabIndex={0}
              onDoubleClick={slot === 'large' ? undefined : () => setLargePlane(slot)}
            />
            <MprViewOverlay slot={slot} readout={readouts[slot]} />
          </div>
        ))}
        {loading && <div className="viewport-loading">Building the volume…</div>}
      </div>
    </div>
  );
}

function MprViewOverlay({ slot, readout }: { slot: MprSlot; readout: MprViewReadout | null }) {
  if (!readout) return null;
  const { orientation, windowWidth: ww, windowCenter: wc } = readout;
  return (
    <div className="viewport-overlay" aria-hidden="true" data-testid={`mpr-overlay-${slot}`}>
      <div className="corner top-left">
        <div>{PLANE_LABEL[readout.plane]}</div>
      </div>
      <div className="corner bottom-left">
        <div data-testid={`mpr-slice-${slot}`}>
          {readout.sliceIndex + 1}/{readout.sliceCount}
        </div>
        {readout.slabThickness > 0 && <div>MIP {readout.slabThickness} mm</div>}
      </div>
      <div className="corner bottom-right">
        <div data-testid={`mpr-wl-${slot}`}>
          {ww !== null && wc !== null ? `W: ${Math.round(ww)} L: ${Math.round(wc)}` : ''}
        </div>
      </div>
      {orientation && (
        <>
          <div className="orientation top" data-testid={`mpr-orientation-${slot}-top`}>
            {orientation.top}
          </div>
          <div className="orientation bottom">{orientation.bottom}</div>
          <div className="orientation left" data-testid={`mpr-orientation-${slot}-left`}>
            {orientation.left}
          </div>
          <div className="orientation right">{orientation.right}</div>
        </>
      )}
    </div>
  );
}
