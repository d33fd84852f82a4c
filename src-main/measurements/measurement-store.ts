/** Measurements saved with the images they were drawn on (migration 5). */
import type { MeasurementToolName, StoredMeasurement } from '../../src-shared/api';
import type { LibraryDb } from '../library/library-db';

interface MeasurementRow {
  uid: string;
  sop_uid: string;
  frame: number;
  tool: MeasurementToolName;
  geometry: string;
  label: string;
  created_at: string;
}

function toMeasurement(row: MeasurementRow): StoredMeasurement {
  return {
    uid: row.uid,
    sopInstanceUid: row.sop_uid,
    frame: row.frame,
    tool: row.tool,
    points: JSON.parse(row.geometry) as StoredMeasurement['points'],
    label: row.label,
    createdAt: row.created_at,
  };
}

export class UnknownImageError extends Error {}

export class MeasurementStore {
  constructor(private readonly db: LibraryDb) {}

  /** The measurements on the images of a series, oldest first. */
  listForSeries(seriesId: number): StoredMeasurement[] {
    return this.db
      .all<MeasurementRow>(
        `SELECT m.* FROM measurements m JOIN instances i ON i.sop_uid = m.sop_uid
         WHERE i.series_ref = ? ORDER BY m.created_at, m.uid`,
        seriesId,
      )
      .map(toMeasurement);
  }

  /** Inserts or replaces by uid; the first save's creation time is kept. */
  save(measurement: Omit<StoredMeasurement, 'createdAt'>): StoredMeasurement {
    const image = this.db.get<{ frames: number }>(
      'SELECT frames FROM instances WHERE sop_uid = ?',
      measurement.sopInstanceUid,
    );
    if (!image) throw new UnknownImageError('the measured image is not in the library');
    if (measurement.frame > Math.max(1, image.frames))
      throw new UnknownImageError('the image has no such frame');
    this.db.run(
      `INSERT INTO measurements (uid, sop_uid, frame, tool, geometry, label, created_at) VALUES (?,?,?,?,?,?,?)
       ON CONFLICT(uid) DO UPDATE SET sop_uid = excluded.sop_uid, frame = excluded.frame, tool = excluded.tool,
         geometry = excluded.geometry, label = excluded.label`,
      measurement.uid,
      measurement.sopInstanceUid,
      measurement.frame,
      measurement.tool,
      JSON.stringify(measurement.points),
      measurement.label,
      new Date().toISOString(),
    );
    return toMeasurement(
      this.db.get<MeasurementRow>('SELECT * FROM measurements WHERE uid = ?', measurement.uid)!,
    );
  }

  delete(uid: string): boolean {
    return this.db.run('DELETE FROM measurements WHERE uid = ?', uid).changes > 0;
  }
}
