/**
 * Schema versions of the library database; each migration runs once, in order of version, in a
 * transaction, and PRAGMA user_version records the highest applied. Versions are assigned by area:
 * 1 foundation, 2 library, 3 inference engine, 4 viewer.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  readonly version: number;
  readonly sql: string;
}

const FOUNDATION: Migration = {
  version: 1,
  sql: `
  CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    patient_key TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL
  );
  CREATE TABLE studies (
    id INTEGER PRIMARY KEY,
    study_uid TEXT NOT NULL UNIQUE,
    patient_ref INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    study_date TEXT NOT NULL,
    study_time TEXT NOT NULL,
    description TEXT NOT NULL,
    accession TEXT NOT NULL
  );
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    series_uid TEXT NOT NULL UNIQUE,
    study_ref INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    modality TEXT NOT NULL,
    series_number INTEGER,
    description TEXT NOT NULL,
    frame_of_reference_uid TEXT NOT NULL
  );
  CREATE TABLE instances (
    id INTEGER PRIMARY KEY,
    sop_uid TEXT NOT NULL UNIQUE,
    series_ref INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    sop_class_uid TEXT NOT NULL,
    path TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    transfer_syntax TEXT NOT NULL,
    instance_number INTEGER,
    position TEXT,
    orientation TEXT,
    pixel_spacing TEXT,
    slice_thickness REAL,
    rows INTEGER NOT NULL,
    columns INTEGER NOT NULL,
    frames INTEGER NOT NULL,
    bits_allocated INTEGER NOT NULL,
    bits_stored INTEGER NOT NULL,
    pixel_representation INTEGER NOT NULL,
    samples_per_pixel INTEGER NOT NULL,
    photometric TEXT NOT NULL,
    rescale_slope REAL NOT NULL,
    rescale_intercept REAL NOT NULL,
    pixel_offset INTEGER,
    pixel_length INTEGER,
    sort_key REAL NOT NULL DEFAULT 0
  );
  CREATE INDEX instances_by_series ON instances(series_ref, sort_key);
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    series_ref INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    state TEXT NOT NULL,
    error TEXT,
    result_ref INTEGER,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    series_ref INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,
    weights_sha256 TEXT NOT NULL,
    provider TEXT NOT NULL,
    created_at TEXT NOT NULL,
    timings TEXT NOT NULL,
    labels TEXT NOT NULL,
    volumes TEXT NOT NULL,
    columns INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    slices INTEGER NOT NULL,
    labelmap BLOB NOT NULL
  );
  CREATE INDEX results_by_series ON results(series_ref, id);
  `,
};

/**
 * Library: what a series holds, what a SEG was drawn on, enhanced multi-frame positions, and the
 * stacks a DICOM series is split into (series_uid stays unique: split rows get '<uid>#<n>', and
 * source_series_uid keeps the DICOM UID), with their slice spacing and gaps; and library settings.
 */
const LIBRARY: Migration = {
  version: 2,
  sql: `
  ALTER TABLE series ADD COLUMN kind TEXT NOT NULL DEFAULT 'image';
  ALTER TABLE series ADD COLUMN referenced_series_uid TEXT;
  ALTER TABLE series ADD COLUMN source_series_uid TEXT;
  UPDATE series SET source_series_uid = series_uid;
  CREATE INDEX series_by_source ON series(source_series_uid);
  ALTER TABLE series ADD COLUMN split_reason TEXT;
  ALTER TABLE series ADD COLUMN slice_spacing REAL;
  ALTER TABLE series ADD COLUMN slice_gaps INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE series ADD COLUMN spacing_irregular INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE instances ADD COLUMN frame_positions TEXT;
  ALTER TABLE instances ADD COLUMN echo_number REAL;
  ALTER TABLE instances ADD COLUMN acquisition_number INTEGER;
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
};

/** The inference engine's job table: what ran, on which inputs, where, how often, and its cache key. */
const INFERENCE_ENGINE: Migration = {
  version: 3,
  sql: `
  ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN model_version TEXT;
  ALTER TABLE jobs ADD COLUMN weights_sha256 TEXT;
  ALTER TABLE jobs ADD COLUMN params TEXT;
  ALTER TABLE jobs ADD COLUMN series_uid TEXT;
  ALTER TABLE jobs ADD COLUMN instance_uids TEXT;
  ALTER TABLE jobs ADD COLUMN inputs_sha256 TEXT;
  ALTER TABLE jobs ADD COLUMN pixels_sha256 TEXT;
  ALTER TABLE jobs ADD COLUMN cache_key TEXT;
  ALTER TABLE jobs ADD COLUMN provider TEXT;
  ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN queue_ms REAL;
  ALTER TABLE jobs ADD COLUMN run_ms REAL;
  CREATE INDEX jobs_by_state ON jobs(state, priority DESC, id);
  CREATE INDEX jobs_by_cache_key ON jobs(cache_key);
  CREATE INDEX jobs_by_inputs ON jobs(inputs_sha256);
  `,
};

/**
 * Viewer measurements, saved with the image: keyed by SOP instance UID and frame, geometry in
 * patient coordinates; they go with their instance (and so with its series and study).
 */
const MEASUREMENTS: Migration = {
  version: 5,
  sql: `
  CREATE TABLE measurements (
    uid TEXT PRIMARY KEY,
    sop_uid TEXT NOT NULL REFERENCES instances(sop_uid) ON DELETE CASCADE,
    frame INTEGER NOT NULL,
    tool TEXT NOT NULL,
    geometry TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX measurements_by_image ON measurements(sop_uid, frame);
  `,
};

/** Inference engine additions: classification results next to segmentations. */
const ENGINE_ADDITIONS: Migration = {
  version: 7,
  sql: `
  ALTER TABLE results ADD COLUMN task TEXT NOT NULL DEFAULT 'segmentation';
  ALTER TABLE results ADD COLUMN findings TEXT;
  ALTER TABLE results ADD COLUMN cam_size TEXT;
  ALTER TABLE results ADD COLUMN test_only INTEGER NOT NULL DEFAULT 0;
  `,
};

/** Engine helper: what a result says about how its input was adapted (a colour image's luminance). */
const RESULT_INPUT_NOTE: Migration = {
  version: 9,
  sql: `ALTER TABLE results ADD COLUMN input_note TEXT;`,
};

const MIGRATIONS: readonly Migration[] = [
  FOUNDATION,
  LIBRARY,
  INFERENCE_ENGINE,
  MEASUREMENTS,
  ENGINE_ADDITIONS,
  RESULT_INPUT_NOTE,
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export function migrate(db: DatabaseSync): void {
  const current = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (current > SCHEMA_VERSION) {
    throw new Error(`library database is schema ${current}, newer than this app (${SCHEMA_VERSION})`);
  }
  const pending = [...MIGRATIONS].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const migration of pending) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
