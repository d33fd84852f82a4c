/**
 * Measurements saved with their images: every completed, modified or deleted annotation of the
 * open series goes to the library, and reopening the series (or the app) draws them again.
 */
import { eventTarget } from '@cornerstonejs/core';
import { annotation, Enums as ToolEnums, type Types as ToolTypes } from '@cornerstonejs/tools';
import { useEffect, type RefObject } from 'react';
import type { InstanceRef, MeasurementToolName, StoredMeasurement } from '../../src-shared/api';
import { getApi } from '../api';
import { reportError } from '../state/errorStore';
import { stackImageIds } from './imageIds';
import { MEASUREMENT_TOOL_CLASSES } from './measurementTools';
import type { StackViewer } from './stackViewer';

interface ImageKey {
  readonly sopInstanceUid: string;
  readonly frame: number;
}

/** Each imageId of the series with the SOP instance and frame it shows. */
export function imageKeys(instances: readonly InstanceRef[]): Map<string, ImageKey> {
  const keys = new Map<string, ImageKey>();
  for (const instance of instances) {
    stackImageIds([instance]).forEach((imageId, i) =>
      keys.set(imageId, { sopInstanceUid: instance.sopInstanceUid, frame: i + 1 }),
    );
  }
  return keys;
}

const TOOLS = new Map(MEASUREMENT_TOOL_CLASSES.map((tool) => [tool.toolName, tool]));
const SAVE_DELAY_MS = 300;

function toStored(
  item: ToolTypes.Annotation,
  keys: Map<string, ImageKey>,
): Omit<StoredMeasurement, 'createdAt'> | null {
  const tool = item.metadata?.toolName;
  const key = keys.get(item.metadata?.referencedImageId ?? '');
  const points = item.data?.handles?.points;
  if (!tool || !TOOLS.has(tool) || !key || !item.annotationUID || !points?.length) return null;
  return {
    uid: item.annotationUID,
    sopInstanceUid: key.sopInstanceUid,
    frame: key.frame,
    tool: tool as MeasurementToolName,
    points: points.map((p) => [p[0], p[1], p[2]] as const),
    label: item.data.label ?? '',
  };
}

/** Draws stored measurements on the viewer's stack, skipping those already drawn. */
function restore(
  viewer: StackViewer,
  stored: readonly StoredMeasurement[],
  instances: readonly InstanceRef[],
): void {
  const imageIds = viewer.viewport.getImageIds();
  const byKey = new Map(
    [...imageKeys(instances)].map(([imageId, k]) => [`${k.sopInstanceUid}#${k.frame}`, imageId]),
  );
  for (const m of stored) {
    const Tool = TOOLS.get(m.tool);
    const sliceIndex = imageIds.indexOf(byKey.get(`${m.sopInstanceUid}#${m.frame}`) ?? '');
    if (!Tool || sliceIndex < 0 || annotation.state.getAnnotation(m.uid)) continue;
    const reference = viewer.viewport.getViewReference({ sliceIndex });
    const restored = Tool.createAnnotation({
      annotationUID: m.uid,
      highlighted: false,
      metadata: { ...reference, toolName: m.tool },
      data: { handles: { points: m.points.map((p) => [p[0], p[1], p[2]]) }, label: m.label },
    }) as ToolTypes.Annotation;
    annotation.state.addAnnotation(restored, viewer.element);
  }
  viewer.viewport.render();
}

export function useMeasurementPersistence(
  viewer: StackViewer | null,
  seriesId: number | null,
  instances: readonly InstanceRef[],
  stackReady: RefObject<Promise<void>>,
): void {
  useEffect(() => {
    if (!viewer || seriesId === null || instances.length === 0) return;
    const keys = imageKeys(instances);
    let active = true;
    void Promise.all([getApi().listMeasurements(seriesId), stackReady.current])
      .then(([stored]) => active && restore(viewer, stored, instances))
      .catch(reportError);

    const pending = new Map<string, { timer: ReturnType<typeof setTimeout>; item: ToolTypes.Annotation }>();
    const save = (item: ToolTypes.Annotation): void => {
      const measurement = toStored(item, keys);
      if (measurement) getApi().saveMeasurement(measurement).catch(reportError);
    };
    const later = (item: ToolTypes.Annotation): void => {
      const uid = item.annotationUID ?? '';
      clearTimeout(pending.get(uid)?.timer);
      const timer = setTimeout(() => {
        pending.delete(uid);
        save(item);
      }, SAVE_DELAY_MS);
      pending.set(uid, { timer, item });
    };
    type Detail = { annotation?: ToolTypes.Annotation; changeType?: string };
    const detailOf = (event: Event): Detail => (event as CustomEvent<Detail>).detail ?? {};
    const onCompleted = (event: Event): void => {
      const item = detailOf(event).annotation;
      if (item) save(item);
    };
    const onModified = (event: Event): void => {
      const { annotation: item, changeType } = detailOf(event);
      // Figures recomputed on render are not a change of the measurement.
      if (item && changeType !== ToolEnums.ChangeTypes.StatsUpdated) later(item);
    };
    const onRemoved = (event: Event): void => {
      const item = detailOf(event).annotation;
      if (!item?.annotationUID || !toStored(item, keys)) return;
      clearTimeout(pending.get(item.annotationUID)?.timer);
      pending.delete(item.annotationUID);
      getApi().deleteMeasurement(item.annotationUID).catch(reportError);
    };
    const { Events } = ToolEnums;
    eventTarget.addEventListener(Events.ANNOTATION_COMPLETED, onCompleted);
    eventTarget.addEventListener(Events.ANNOTATION_MODIFIED, onModified);
    eventTarget.addEventListener(Events.ANNOTATION_REMOVED, onRemoved);
    return () => {
      active = false;
      // Edits still waiting are saved now rather than lost.
      for (const { timer, item } of pending.values()) {
        clearTimeout(timer);
        save(item);
      }
      eventTarget.removeEventListener(Events.ANNOTATION_COMPLETED, onCompleted);
      eventTarget.removeEventListener(Events.ANNOTATION_MODIFIED, onModified);
      eventTarget.removeEventListener(Events.ANNOTATION_REMOVED, onRemoved);
    };
  }, [viewer, seriesId, instances, stackReady]);
}
