/**
 * A 3D segmentation of an enhanced multi-frame MR through the real job system and model: the T1
 * MPRAGE's own slices written as the frames of one Enhanced MR file, in reverse order. The series
 * is eligible, its volume is the T1's (frames sorted along the normal), and its stored labelmap is
 * the T1 result's, slice for slice in the frames' (display) order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEnhancedCt } from '../../test-support/enhanced-ct-writer';
import { hasSharedData } from '../../test-support/shared-data';
import { slicesDifferingReversed } from '../../test-support/reversed-slices';
import { importT1, meshnetInstalled, openWorkstation } from '../../test-support/workstation';

describe.skipIf(!hasSharedData || !meshnetInstalled)(
  'an enhanced multi-frame MR analysed as a volume',
  () => {
    it('is eligible, and its labelmap is the single-frame series’ result in its own frame order', async () => {
      const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-frames-analysis-')));
      try {
        const { studyInstanceUid, t1, slicePaths } = await importT1(workstation);
        const file = join(mkdtempSync(join(tmpdir(), 'lumen-enhanced-mr-')), 'enhanced-mr.dcm');
        writeEnhancedCt([...slicePaths].reverse(), file, '1.2.826.0.1.3680043.10.1392.41', {
          modality: 'MR',
        });
        await workstation.importPaths({ paths: [file] });
        const enhanced = (await workstation.listSeries({ studyInstanceUid: studyInstanceUid })).find(
          (series) => series.seriesId !== t1.seriesId,
        )!;
        expect(enhanced.modality).toBe('MR');
        expect(workstation.library.seriesInstances(enhanced.seriesId)).toHaveLength(1);
        const verdict = (await workstation.seriesEligibility({ seriesId: enhanced.seriesId })).find(
          (e) => e.modelId === 'meshnet-gwm',
        );
        expect(verdict).toEqual({ modelId: 'meshnet-gwm', eligible: true, reason: null });

        await workstation.startAnalysis({ seriesId: t1.seriesId, modelId: 'meshnet-gwm' });
        await workstation.startAnalysis({ seriesId: enhanced.seriesId, modelId: 'meshnet-gwm' });
        await workstation.analysis.idle();
        const [fromSlices] = await workstation.listResults({ seriesId: t1.seriesId });
        const [fromFrames] = await workstation.listResults({ seriesId: enhanced.seriesId });
        expect([fromFrames!.columns, fromFrames!.rows, fromFrames!.slices]).toEqual([256, 256, 176]);
        // Same pixels in the other order: not the cached result of the slices, a run of its own.
        expect(fromFrames!.resultId).not.toBe(fromSlices!.resultId);
        expect(fromFrames!.volumes).toEqual(fromSlices!.volumes);
        const slices = workstation.labelmap(fromSlices!.resultId)!;
        const frames = workstation.labelmap(fromFrames!.resultId)!;
        // Frame f (display slice f) is T1 slice 175 - f.
        expect(frames).toHaveLength(slices.length);
        expect(slicesDifferingReversed(frames, slices, 256 * 256)).toBe(0);
      } finally {
        workstation.close();
      }
    });
  },
);
