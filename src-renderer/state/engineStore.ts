import { create } from 'zustand';
import type { EngineSettings, EngineStatus, JobRecord, JobStatus } from '../../src-shared/api';
import { getApi } from '../api';
import { reportError } from './errorStore';

interface EngineState {
  readonly status: EngineStatus | null;
  /** Failed and cancelled jobs, newest first. */
  readonly failedJobs: readonly JobRecord[];
  readonly settings: EngineSettings | null;
  setAutoAnalyze(on: boolean): Promise<void>;
  refresh(): Promise<void>;
  /** Called for every pushed job event; refreshes only when a job changed state, not on progress. */
  handleJob(job: JobStatus): void;
  retry(jobId: number): Promise<void>;
  cancel(jobId: number): Promise<void>;
  /** Moves the series' queued job to the front (the series the user opened). */
  prioritize(jobId: number): Promise<void>;
}

let lastStates = new Map<number, JobStatus['state']>();

export const useEngineStore = create<EngineState>()((set, get) => ({
  status: null,
  failedJobs: [],
  settings: null,

  setAutoAnalyze: async (on) => {
    try {
      set({ settings: await getApi().setEngineSettings({ autoAnalyze: on }) });
    } catch (error) {
      reportError(error);
    }
  },

  refresh: async () => {
    try {
      const [status, failedJobs, settings] = await Promise.all([
        getApi().engineStatus(),
        getApi().listJobs(['failed', 'cancelled']),
        getApi().getEngineSettings(),
      ]);
      set({ status, failedJobs, settings });
    } catch (error) {
      reportError(error);
    }
  },

  handleJob: (job) => {
    if (lastStates.get(job.jobId) === job.state) return;
    lastStates = new Map(lastStates).set(job.jobId, job.state);
    void get().refresh();
  },

  retry: async (jobId) => {
    try {
      await getApi().retryJob(jobId);
    } catch (error) {
      reportError(error);
    }
    await get().refresh();
  },

  cancel: async (jobId) => {
    try {
      await getApi().cancelJob(jobId);
    } catch (error) {
      reportError(error);
    }
  },

  prioritize: async (jobId) => {
    try {
      await getApi().prioritizeJob(jobId);
    } catch (error) {
      reportError(error);
    }
  },
}));
