/**
 * Stored analysis results: metadata as columns, a segmentation's labelmap deflated in a BLOB, a
 * classification's findings (scores, thresholds, activation maps) as JSON.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type {
  AnalysisResult,
  AnalysisTimings,
  ClassificationFinding,
  LabelInfo,
  LabelVolume,
} from '../../src-shared/api';
import type { LibraryDb } from '../library/library-db';

/** What a finished job hands over: the result as the API shows it, less what the store assigns. */
export type NewResult = Omit<AnalysisResult, 'resultId' | 'createdAt' | 'columns' | 'rows' | 'slices'> & {
  readonly dims: readonly [number, number, number];
  readonly labelmap: Uint8Array;
};

interface ResultRow {
  id: number;
  series_ref: number;
  model_id: string;
  model_name: string;
  model_version: string;
  weights_sha256: string;
  provider: string;
  created_at: string;
  timings: string;
  labels: string;
  volumes: string;
  columns: number;
  rows: number;
  slices: number;
  task: 'segmentation' | 'classification';
  findings: string | null;
  cam_size: string | null;
  test_only: number;
  input_note: string | null;
}

export class ResultStore {
  constructor(private readonly db: LibraryDb) {}

  add(result: NewResult): number {
    return this.db.run(
      `INSERT INTO results (series_ref, model_id, model_name, model_version, weights_sha256, provider, created_at,
         timings, labels, volumes, columns, rows, slices, labelmap, task, findings, cam_size, test_only, input_note)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      result.seriesId,
      result.modelId,
      result.modelName,
      result.modelVersion,
      result.weightsSha256,
      result.executionProvider,
      new Date().toISOString(),
      JSON.stringify(result.timings),
      JSON.stringify(result.labels),
      JSON.stringify(result.volumes),
      result.dims[0],
      result.dims[1],
      result.dims[2],
      deflateSync(result.labelmap, { level: 1 }),
      result.task,
      JSON.stringify(result.findings),
      result.camSize && JSON.stringify(result.camSize),
      result.testOnly ? 1 : 0,
      result.inputNote,
    ).lastInsertRowid;
  }

  /** A copy of a result for another series with the same pixels (a cache hit); returns the new id. */
  copyToSeries(resultId: number, seriesId: number): number {
    return this.db.run(
      `INSERT INTO results (series_ref, model_id, model_name, model_version, weights_sha256, provider, created_at,
         timings, labels, volumes, columns, rows, slices, labelmap, task, findings, cam_size, test_only, input_note)
       SELECT ?, model_id, model_name, model_version, weights_sha256, provider, ?, timings, labels, volumes,
         columns, rows, slices, labelmap, task, findings, cam_size, test_only, input_note FROM results WHERE id = ?`,
      seriesId,
      new Date().toISOString(),
      resultId,
    ).lastInsertRowid;
  }

  listForSeries(seriesId: number): AnalysisResult[] {
    return this.db
      .all<ResultRow>(
        `SELECT id, series_ref, model_id, model_name, model_version, weights_sha256, provider, created_at, timings,
                labels, volumes, columns, rows, slices, task, findings, cam_size, test_only, input_note
         FROM results WHERE series_ref = ? ORDER BY id DESC`,
        seriesId,
      )
      .map(toResult);
  }

  labelmap(resultId: number): Uint8Array | undefined {
    const row = this.db.get<{ labelmap: Uint8Array }>('SELECT labelmap FROM results WHERE id = ?', resultId);
    return row && new Uint8Array(inflateSync(row.labelmap));
  }
}

function toResult(row: ResultRow): AnalysisResult {
  return {
    resultId: row.id,
    seriesId: row.series_ref,
    modelId: row.model_id,
    modelName: row.model_name,
    modelVersion: row.model_version,
    weightsSha256: row.weights_sha256,
    executionProvider: row.provider,
    createdAt: row.created_at,
    timings: JSON.parse(row.timings) as AnalysisTimings,
    labels: JSON.parse(row.labels) as LabelInfo[],
    volumes: JSON.parse(row.volumes) as LabelVolume[],
    columns: row.columns,
    rows: row.rows,
    slices: row.slices,
    task: row.task,
    findings: row.findings ? (JSON.parse(row.findings) as ClassificationFinding[]) : [],
    camSize: row.cam_size ? (JSON.parse(row.cam_size) as [number, number]) : null,
    testOnly: row.test_only === 1,
    inputNote: row.input_note,
  };
}
