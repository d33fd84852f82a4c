import { useState } from 'react';
import type { LatencyPercentiles, ModelJobStats } from '../../src-shared/api';
import { useEngineStore } from '../state/engineStore';
import { InstallModel } from './InstallModel';

const mb = (bytes: number | null): string => (bytes === null ? '—' : `${Math.round(bytes / 2 ** 20)} MB`);
const ms = (p: LatencyPercentiles | null): string =>
  p ? `${Math.round(p.p50)} / ${Math.round(p.p95)} / ${Math.round(p.p99)}` : '—';

function StatsTable({ title, stats }: { title: string; stats: readonly ModelJobStats[] }) {
  return (
    <table className="engine-stats">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>model</th>
          <th>jobs/min</th>
          <th>failed</th>
          <th title="p50 / p95 / p99, ms">queue wait</th>
          <th title="p50 / p95 / p99, ms">run time</th>
        </tr>
      </thead>
      <tbody>
        {stats.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              no finished jobs
            </td>
          </tr>
        )}
        {stats.map((s) => (
          <tr key={s.modelId} data-testid="engine-stats-row">
            <td>{s.modelId}</td>
            <td>{s.jobsPerMinute.toFixed(2)}</td>
            <td>{Math.round(s.failureRate * 100)}%</td>
            <td>{ms(s.queueMs)}</td>
            <td>{ms(s.runMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The inference engine at a glance: process, provider and why, models, memory, queue and figures. */
export function EngineStatusPanel() {
  const status = useEngineStore((s) => s.status);
  const refresh = useEngineStore((s) => s.refresh);
  const settings = useEngineStore((s) => s.settings);
  const setAutoAnalyze = useEngineStore((s) => s.setAutoAnalyze);
  const [open, setOpen] = useState(false);
  if (!status) return null;
  const { process, provider, queue, memory } = status;

  return (
    <section className="panel" data-testid="engine-status">
      <header className="panel-title">
        <span>Inference engine</span>
        <span>
          <button type="button" className="link-button" onClick={() => void refresh()}>
            refresh
          </button>{' '}
          <button type="button" className="link-button" onClick={() => setOpen(!open)}>
            {open ? 'less' : 'more'}
          </button>
        </span>
      </header>
      <div className="engine-line">
        Process: <strong data-testid="engine-process-state">{process.state}</strong>
        {process.pid !== null && <span className="muted"> · pid {process.pid}</span>}
        {process.restarts > 0 && <span className="muted"> · {process.restarts} restarts</span>}
      </div>
      <div className="engine-line">
        Queue: {queue.queued} queued · {queue.running} running · {queue.failed} failed
      </div>
      <label className="engine-line">
        <input
          type="checkbox"
          data-testid="auto-analyze"
          checked={settings?.autoAnalyze ?? false}
          onChange={(event) => void setAutoAnalyze(event.target.checked)}
        />{' '}
        Analyse new studies automatically
      </label>
      <InstallModel />
      {open && (
        <>
          <div className="engine-line">
            Provider: <strong>{provider.inUse ?? 'none yet'}</strong>
            {provider.skipped.map((s) => (
              <div key={s.provider} className="muted">
                {s.provider} not used: {s.reason}
              </div>
            ))}
          </div>
          {process.lastExit && <div className="engine-line muted">Last exit: {process.lastExit}</div>}
          <div className="engine-line">
            Models loaded: {status.loadedModels.length > 0 ? status.loadedModels.join(', ') : 'none'}
          </div>
          <div className="engine-line">
            Memory: process {mb(process.rssBytes)} · free {mb(memory.freeBytes)} of {mb(memory.totalBytes)}
          </div>
          <StatsTable title="Last hour" stats={status.lastHour} />
          <StatsTable title="Overall" stats={status.overall} />
        </>
      )}
    </section>
  );
}
