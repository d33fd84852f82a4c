/** Reads and writes patients, studies, series and instances in the library database. */
import { existsSync } from 'node:fs';
import type { InstanceRef, SeriesKind, SeriesSummary, StudySummary } from '../../src-shared/api';
import type { InstanceHeader } from './dicom-header';
import type { LibraryDb } from './library-db';
import { sliceSortKeys } from './slice-order';
import { measureSpacing, splitStacks } from './stack-split';
import type { StackImage } from './stack-split';
import type { Vec3 } from '../../src-shared/geometry';

export interface StoredInstance {
  readonly id: number;
  readonly path: string;
  readonly transferSyntax: string;
  readonly position: Vec3 | null;
  readonly orientation: readonly number[] | null;
  readonly pixelSpacing: readonly [number, number] | null;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  /** Enhanced multi-frame images: each frame's Image Position (Patient), in frame order. */
  readonly framePositions: readonly Vec3[] | null;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
  readonly samplesPerPixel: number;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly pixelOffset: number | null;
  readonly pixelLength: number | null;
  /** MONOCHROME1 shows high values dark: 2D classifiers need it inverted. */
  readonly photometric: string;
}

interface InstanceRow {
  id: number;
  series_ref: number;
  path: string;
  transfer_syntax: string;
  position: string | null;
  orientation: string | null;
  pixel_spacing: string | null;
  rows: number;
  columns: number;
  frames: number;
  frame_positions: string | null;
  bits_allocated: number;
  bits_stored: number;
  pixel_representation: number;
  samples_per_pixel: number;
  rescale_slope: number;
  rescale_intercept: number;
  pixel_offset: number | null;
  pixel_length: number | null;
  photometric: string;
  instance_number: number | null;
  echo_number: number | null;
  acquisition_number: number | null;
}

interface SeriesRow {
  id: number;
  series_uid: string;
  study_ref: number;
  modality: string;
  series_number: number | null;
  description: string;
  frame_of_reference_uid: string;
  kind: SeriesKind;
  referenced_series_uid: string | null;
  source_series_uid: string;
}

function toStackImage(row: InstanceRow): StackImage {
  return {
    id: row.id,
    position: parseJson<Vec3>(row.position),
    orientation: parseJson<number[]>(row.orientation),
    rows: row.rows,
    columns: row.columns,
    pixelSpacing: parseJson<[number, number]>(row.pixel_spacing),
    echoNumber: row.echo_number,
    acquisitionNumber: row.acquisition_number,
  };
}

export class LibraryStore {
  /** Instances added since their series was last restacked: they were in no stack before. */
  readonly #arrived = new Set<number>();

  constructor(private readonly db: LibraryDb) {}

  /** Adds one instance (and its patient, study, series when new). Must run inside a transaction. */
  addInstance(header: InstanceHeader, path: string): { outcome: 'indexed' | 'duplicate'; seriesId: number } {
    const existing = this.db.get<{ series_ref: number }>(
      'SELECT series_ref FROM instances WHERE sop_uid = ?',
      header.sopInstanceUid,
    );
    if (existing) return { outcome: 'duplicate', seriesId: existing.series_ref };
    const patientRef = this.upsertPatient(header);
    const studyRef = this.upsertStudy(header, patientRef);
    const seriesRef = this.upsertSeries(header, studyRef);
    const { lastInsertRowid } = this.db.run(
      `INSERT INTO instances (sop_uid, series_ref, sop_class_uid, path, file_size, transfer_syntax, instance_number,
        position, orientation, pixel_spacing, slice_thickness, rows, columns, frames, bits_allocated, bits_stored,
        pixel_representation, samples_per_pixel, photometric, rescale_slope, rescale_intercept, pixel_offset, pixel_length,
        frame_positions, echo_number, acquisition_number)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      header.sopInstanceUid,
      seriesRef,
      header.sopClassUid,
      path,
      header.fileSize,
      header.transferSyntaxUid,
      header.instanceNumber,
      jsonOrNull(header.imagePositionPatient),
      jsonOrNull(header.imageOrientationPatient),
      jsonOrNull(header.pixelSpacing),
      header.sliceThickness,
      header.rows,
      header.columns,
      header.frames,
      header.bitsAllocated,
      header.bitsStored,
      header.pixelRepresentation,
      header.samplesPerPixel,
      header.photometricInterpretation,
      header.rescaleSlope,
      header.rescaleIntercept,
      header.pixelData?.offset ?? null,
      header.pixelData?.length ?? null,
      header.framePositions ? JSON.stringify(header.framePositions) : null,
      header.echoNumber !== null && Number.isFinite(header.echoNumber) ? header.echoNumber : null,
      header.acquisitionNumber,
    );
    this.#arrived.add(lastInsertRowid);
    return { outcome: 'indexed', seriesId: seriesRef };
  }

  /** The DICOM series UID a library series came from (split stacks share it). */
  sourceSeriesUid(seriesId: number): string | undefined {
    return this.db.get<{ source_series_uid: string }>(
      'SELECT source_series_uid FROM series WHERE id = ?',
      seriesId,
    )?.source_series_uid;
  }

  /**
   * After instances were added to a DICOM series: splits it into its stacks (one library series
   * each), orders each stack along its normal and records its spacing. Must run inside a transaction.
   * Returns how many analysis results it removed from series whose images changed.
   */
  restack(sourceUid: string): number {
    const rows = this.db.all<SeriesRow>(
      'SELECT * FROM series WHERE source_series_uid = ? ORDER BY id',
      sourceUid,
    );
    const base = rows.find((row) => row.series_uid === sourceUid);
    if (!base) return 0;
    const instances = this.db.all<InstanceRow>(
      `SELECT * FROM instances WHERE series_ref IN (SELECT id FROM series WHERE source_series_uid = ?)`,
      sourceUid,
    );
    const images = instances.map(toStackImage);
    // Only image series are split; a report or segmentation stays whole.
    const stacks =
      base.kind === 'image' ? splitStacks(images) : [{ ids: images.map((i) => i.id), reason: null }];
    const byId = new Map(instances.map((row) => [row.id, row]));
    const membersBefore = membership(
      instances.filter((row) => !this.#arrived.has(row.id)).map((row) => [row.series_ref, row.id]),
    );
    for (const row of instances) this.#arrived.delete(row.id);
    const membersAfter = new Map<number, string>();
    const used = new Set<number>();
    stacks.forEach((stack, index) => {
      const uid = index === 0 ? sourceUid : `${sourceUid}#${index + 1}`;
      const seriesId = rows.find((row) => row.series_uid === uid)?.id ?? this.insertSplitRow(base, uid);
      used.add(seriesId);
      const members = stack.ids.map((id) => byId.get(id)!);
      membersAfter.set(seriesId, membership(stack.ids.map((id) => [seriesId, id])).get(seriesId) ?? '');
      const keys = sliceSortKeys(
        members.map((row) => ({
          imagePositionPatient: parseJson<Vec3>(row.position),
          imageOrientationPatient: parseJson<number[]>(row.orientation),
          instanceNumber: row.instance_number,
        })),
      );
      members.forEach((row, i) =>
        this.db.run(
          'UPDATE instances SET series_ref = ?, sort_key = ? WHERE id = ?',
          seriesId,
          keys[i]!,
          row.id,
        ),
      );
      const spacing = measureSpacing(members.map(toStackImage));
      this.db.run(
        'UPDATE series SET split_reason = ?, slice_spacing = ?, slice_gaps = ?, spacing_irregular = ? WHERE id = ?',
        stack.reason,
        spacing.sliceSpacing,
        spacing.gaps,
        spacing.irregular ? 1 : 0,
        seriesId,
      );
    });
    // Results were computed on a series' voxels: a series whose images changed (a later import
    // added slices or regrouped its stacks) loses them rather than show them on other images.
    let dropped = 0;
    for (const [seriesId, members] of membersAfter)
      if (membersBefore.get(seriesId) !== members)
        dropped += Number(this.db.run('DELETE FROM results WHERE series_ref = ?', seriesId).changes);
    // Split rows left without instances (a later import joined their stack to another) go.
    for (const row of rows)
      if (!used.has(row.id) && row.id !== base.id) this.db.run('DELETE FROM series WHERE id = ?', row.id);
    return dropped;
  }

  private insertSplitRow(base: SeriesRow, uid: string): number {
    return this.db.run(
      `INSERT INTO series (series_uid, study_ref, modality, series_number, description, frame_of_reference_uid,
         kind, referenced_series_uid, source_series_uid)
       VALUES (?,?,?,?,?,?,?,?,?)`,
      uid,
      base.study_ref,
      base.modality,
      base.series_number,
      base.description,
      base.frame_of_reference_uid,
      base.kind,
      base.referenced_series_uid,
      base.source_series_uid,
    ).lastInsertRowid;
  }

  listStudies(): StudySummary[] {
    const rows = this.db.all<{
      study_uid: string;
      name: string;
      patient_id: string;
      birth_date: string;
      study_date: string;
      description: string;
      modalities: string | null;
      series_count: number;
      instance_count: number;
    }>(
      `SELECT st.study_uid, p.name, p.patient_id, p.birth_date, st.study_date, st.description,
              (SELECT group_concat(DISTINCT modality) FROM series WHERE study_ref = st.id) AS modalities,
              (SELECT count(*) FROM series WHERE study_ref = st.id) AS series_count,
              (SELECT coalesce(sum(CASE se.kind WHEN 'nifti' THEN i.frames ELSE 1 END), 0)
                 FROM instances i JOIN series se ON i.series_ref = se.id
                WHERE se.study_ref = st.id AND se.kind IN ('image', 'nifti')) AS instance_count
       FROM studies st JOIN patients p ON st.patient_ref = p.id
       ORDER BY st.study_date DESC, p.name`,
    );
    return rows.map((row) => ({
      studyInstanceUid: row.study_uid,
      patientName: row.name,
      patientId: row.patient_id,
      patientBirthDate: row.birth_date,
      studyDate: row.study_date,
      studyDescription: row.description,
      modalities: (row.modalities ?? '').split(',').filter(Boolean).sort(),
      seriesCount: row.series_count,
      instanceCount: row.instance_count,
    }));
  }

  listSeries(studyInstanceUid: string): SeriesSummary[] {
    const rows = this.db.all<{
      id: number;
      series_uid: string;
      modality: string;
      series_number: number | null;
      description: string;
      instance_count: number;
      rows: number | null;
      columns: number | null;
      result_count: number;
      kind: SeriesKind;
      referenced_series_uid: string | null;
      frame_count: number | null;
      source_series_uid: string;
      split_reason: string | null;
      slice_spacing: number | null;
      slice_gaps: number;
      spacing_irregular: number;
      frame_of_reference_uid: string;
    }>(
      `SELECT se.id, se.series_uid, se.modality, se.series_number, se.description, se.kind,
              se.referenced_series_uid, se.source_series_uid, se.split_reason, se.slice_spacing,
              se.slice_gaps, se.spacing_irregular,
              se.frame_of_reference_uid,
              (SELECT count(*) FROM instances WHERE series_ref = se.id) AS instance_count,
              (SELECT sum(frames) FROM instances WHERE series_ref = se.id) AS frame_count,
              (SELECT max(rows) FROM instances WHERE series_ref = se.id) AS rows,
              (SELECT max(columns) FROM instances WHERE series_ref = se.id) AS columns,
              (SELECT count(*) FROM results WHERE series_ref = se.id) AS result_count
       FROM series se JOIN studies st ON se.study_ref = st.id
       WHERE st.study_uid = ?
       ORDER BY se.series_number IS NULL, se.series_number, se.id`,
      studyInstanceUid,
    );
    return rows.map((row) => ({
      seriesId: row.id,
      seriesInstanceUid: row.source_series_uid,
      studyInstanceUid,
      modality: row.modality,
      seriesNumber: row.series_number,
      seriesDescription: row.description,
      instanceCount: row.instance_count,
      rows: row.rows ?? 0,
      columns: row.columns ?? 0,
      resultCount: row.result_count,
      kind: row.kind,
      referencedSeriesUid: row.referenced_series_uid,
      frameCount: row.frame_count ?? 0,
      splitReason: row.split_reason,
      sliceSpacing: row.slice_spacing,
      sliceGaps: row.slice_gaps,
      spacingIrregular: row.spacing_irregular === 1,
      frameOfReferenceUid: row.frame_of_reference_uid,
    }));
  }

  /** The instances of a series in display order; files gone from disk are marked, once, here. */
  listInstances(seriesId: number): Array<Omit<InstanceRef, 'url'>> {
    return this.db
      .all<{
        id: number;
        sop_uid: string;
        instance_number: number | null;
        frames: number;
        path: string;
        position: string | null;
        orientation: string | null;
        frame_positions: string | null;
        transfer_syntax: string;
        photometric: string;
      }>(
        `SELECT id, sop_uid, instance_number, frames, path, position, orientation, frame_positions,
                transfer_syntax, photometric
         FROM instances WHERE series_ref = ?
         ORDER BY sort_key, instance_number, id`,
        seriesId,
      )
      .map((row) => ({
        instanceId: row.id,
        sopInstanceUid: row.sop_uid,
        instanceNumber: row.instance_number,
        frames: row.frames,
        missing: !existsSync(row.path),
        position: parseJson<Vec3>(row.position),
        orientation: parseJson<number[]>(row.orientation),
        framePositions: parseJson<Vec3[]>(row.frame_positions),
        format: row.transfer_syntax === 'nifti' ? ('nifti' as const) : ('dicom' as const),
        photometric: row.photometric,
      }));
  }

  /** The instances of a series in display order, with what is needed to read their pixels. */
  seriesInstances(seriesId: number): StoredInstance[] {
    return this.db
      .all<InstanceRow>(
        'SELECT * FROM instances WHERE series_ref = ? ORDER BY sort_key, instance_number, id',
        seriesId,
      )
      .map((row) => ({
        id: row.id,
        path: row.path,
        transferSyntax: row.transfer_syntax,
        position: parseJson<Vec3>(row.position),
        orientation: parseJson<number[]>(row.orientation),
        pixelSpacing: parseJson<[number, number]>(row.pixel_spacing),
        rows: row.rows,
        columns: row.columns,
        frames: row.frames,
        framePositions: parseJson<Vec3[]>(row.frame_positions),
        bitsAllocated: row.bits_allocated,
        bitsStored: row.bits_stored,
        pixelRepresentation: row.pixel_representation,
        samplesPerPixel: row.samples_per_pixel,
        rescaleSlope: row.rescale_slope,
        rescaleIntercept: row.rescale_intercept,
        pixelOffset: row.pixel_offset,
        pixelLength: row.pixel_length,
        photometric: row.photometric,
      }));
  }

  seriesInfo(seriesId: number): { modality: string; seriesUid: string } | undefined {
    const row = this.db.get<{ modality: string; series_uid: string }>(
      'SELECT modality, series_uid FROM series WHERE id = ?',
      seriesId,
    );
    return row && { modality: row.modality, seriesUid: row.series_uid };
  }

  instanceFile(
    instanceId: number,
  ): { path: string; transferSyntax: string; frames: number; pixelOffset: number | null } | undefined {
    const row = this.db.get<{
      path: string;
      transfer_syntax: string;
      frames: number;
      pixel_offset: number | null;
    }>('SELECT path, transfer_syntax, frames, pixel_offset FROM instances WHERE id = ?', instanceId);
    return (
      row && {
        path: row.path,
        transferSyntax: row.transfer_syntax,
        frames: row.frames,
        pixelOffset: row.pixel_offset,
      }
    );
  }

  /**
   * Deletes a study (its series, instances and results follow by cascade) and its patient when no
   * other study is left; returns the files its instances pointed at.
   */
  deleteStudy(studyUid: string): string[] {
    const study = this.db.get<{ id: number; patient_ref: number }>(
      'SELECT id, patient_ref FROM studies WHERE study_uid = ?',
      studyUid,
    );
    if (!study) return [];
    const paths = this.db
      .all<{ path: string }>(
        'SELECT i.path FROM instances i JOIN series se ON i.series_ref = se.id WHERE se.study_ref = ?',
        study.id,
      )
      .map((row) => row.path);
    this.db.transaction(() => {
      this.db.run('DELETE FROM studies WHERE id = ?', study.id);
      this.db.run(
        'DELETE FROM patients WHERE id = ? AND NOT EXISTS (SELECT 1 FROM studies WHERE patient_ref = ?)',
        study.patient_ref,
        study.patient_ref,
      );
    });
    return paths;
  }

  setting(key: string): string | undefined {
    return this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.run(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  }

  studyUidOfSeries(seriesId: number): string | undefined {
    return this.db.get<{ study_uid: string }>(
      'SELECT st.study_uid FROM series se JOIN studies st ON se.study_ref = st.id WHERE se.id = ?',
      seriesId,
    )?.study_uid;
  }

  private upsertPatient(h: InstanceHeader): number {
    // Patients without an ID are kept apart by name and birth date rather than merged.
    const key = `${h.patientId}\u0000${h.patientId ? '' : `${h.patientName}\u0000${h.patientBirthDate}`}`;
    const found = this.db.get<{ id: number }>('SELECT id FROM patients WHERE patient_key = ?', key);
    if (found) return found.id;
    return this.db.run(
      'INSERT INTO patients (patient_key, patient_id, name, birth_date, sex) VALUES (?,?,?,?,?)',
      key,
      h.patientId,
      h.patientName,
      h.patientBirthDate,
      h.patientSex,
    ).lastInsertRowid;
  }

  private upsertStudy(h: InstanceHeader, patientRef: number): number {
    const found = this.db.get<{ id: number }>(
      'SELECT id FROM studies WHERE study_uid = ?',
      h.studyInstanceUid,
    );
    if (found) return found.id;
    return this.db.run(
      'INSERT INTO studies (study_uid, patient_ref, study_date, study_time, description, accession) VALUES (?,?,?,?,?,?)',
      h.studyInstanceUid,
      patientRef,
      h.studyDate,
      h.studyTime,
      h.studyDescription,
      h.accessionNumber,
    ).lastInsertRowid;
  }

  private upsertSeries(h: InstanceHeader, studyRef: number): number {
    const found = this.db.get<{ id: number }>(
      'SELECT id FROM series WHERE series_uid = ?',
      h.seriesInstanceUid,
    );
    if (found) return found.id;
    return this.db.run(
      `INSERT INTO series (series_uid, study_ref, modality, series_number, description, frame_of_reference_uid,
         kind, referenced_series_uid, source_series_uid)
       VALUES (?,?,?,?,?,?,?,?,?)`,
      h.seriesInstanceUid,
      studyRef,
      h.modality,
      h.seriesNumber,
      h.seriesDescription,
      h.frameOfReferenceUid,
      h.kind,
      h.referencedSeriesUid,
      h.seriesInstanceUid,
    ).lastInsertRowid;
  }
}

function jsonOrNull(value: readonly number[] | null): string | null {
  return value ? JSON.stringify(value) : null;
}

function parseJson<T>(text: string | null): T | null {
  return text ? (JSON.parse(text) as T) : null;
}

/** Each series' instance ids, sorted, as one comparable string. */
function membership(pairs: ReadonlyArray<readonly [number, number]>): Map<number, string> {
  const ids = new Map<number, number[]>();
  for (const [seriesId, id] of pairs) {
    const list = ids.get(seriesId);
    if (list) list.push(id);
    else ids.set(seriesId, [id]);
  }
  return new Map([...ids].map(([seriesId, list]) => [seriesId, list.sort((a, b) => a - b).join(',')]));
}
