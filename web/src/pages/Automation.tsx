import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import {
  AutomationPageQuery,
  AutomationRunProgressSubscription,
  CancelAutomationRunMutation,
  CreateAutomationRuleMutation,
  DeleteAutomationRuleMutation,
  PauseAutomationRunMutation,
  ResumeAutomationRunMutation,
  StartAutomationRunMutation,
  UpdateAutomationConfigMutation,
  UpdateAutomationRuleMutation,
} from '../lib/ops';
import type {
  AutomationFrequency,
  AutomationPublishMode,
  AutomationRuleTrigger,
  AutomationRunFieldsFragment,
  AutomationRunProgressSubscription as ProgressData,
  AutomationStage,
  AutomationPageQuery as AutomationPageQueryData,
} from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { ReadOnlyNote } from '../components/access';
import { formatDate, humanize } from '../lib/format';
import { useWorkspace } from '../state';
import { STAGE_LABELS, automationRights, newer, runActions, scheduleForm, scheduleInput, type ScheduleForm } from '../lib/automation';

type Run = AutomationRunFieldsFragment;
type Progress = ProgressData['automationRunProgress'];

/** A site's pipeline (AUT-1): stages with pending work, the active run live, history, configuration, schedule and rules. */
export function AutomationPage() {
  const { site, me } = useWorkspace();
  if (!site) return <Empty title="No site yet">Create a site first.</Empty>;
  return <SiteAutomation key={site.id} siteId={site.id} siteName={site.name} role={me?.role} />;
}

function SiteAutomation({ siteId, siteName, role }: { siteId: string; siteName: string; role: Parameters<typeof automationRights>[0] }) {
  const rights = automationRights(role);
  const [{ data, error, fetching }, refetch] = useQuery({ query: AutomationPageQuery, variables: { siteId }, requestPolicy: 'cache-and-network' });
  const [start, runStart] = useMutation(StartAutomationRunMutation);
  const [pause, runPause] = useMutation(PauseAutomationRunMutation);
  const [resume, runResume] = useMutation(ResumeAutomationRunMutation);
  const [cancel, runCancel] = useMutation(CancelAutomationRunMutation);
  const activeFromQuery: Run | null | undefined = data?.automationOverview.activeRun;
  const [runId, setRunId] = useState<string | null>(null);
  useEffect(() => {
    if (activeFromQuery?.id) setRunId(activeFromQuery.id);
  }, [activeFromQuery?.id]);
  const [{ data: live }] = useSubscription<ProgressData, Progress | undefined>(
    { query: AutomationRunProgressSubscription, variables: { runId: runId ?? '' }, pause: !runId },
    (prev, d) => newer(prev, d.automationRunProgress),
  );
  const liveRun: Run | undefined = live?.run;
  const run: Run | null | undefined = liveRun && liveRun.id === runId ? liveRun : activeFromQuery;
  const finished = run && !(run.status === 'RUNNING' || run.status === 'PAUSED');
  useEffect(() => {
    // the run ended: counts, history and credits change
    if (finished) refetch({ requestPolicy: 'network-only' });
  }, [finished, refetch]);
  const actions = runActions(run && !finished ? run.status : null, rights);
  const overview = data?.automationOverview;
  const mutationError = start.error ?? pause.error ?? resume.error ?? cancel.error;
  const history: Run[] = data?.automationRuns.nodes ?? [];

  return (
    <div className="automation">
      <PageHeader title={`Automation · ${siteName}`}>
        {actions.start && (
          <button
            className="btn-primary"
            disabled={start.fetching}
            onClick={async () => {
              const r = await runStart({ input: { siteId } });
              const id = r.data?.startAutomationRun.id;
              if (id) setRunId(id);
            }}
          >
            Run the pipeline now
          </button>
        )}
        {actions.pause && run && <button onClick={() => runPause({ input: { runId: run.id } })}>Pause</button>}
        {actions.resume && run && <button onClick={() => runResume({ input: { runId: run.id } })}>Resume</button>}
        {actions.cancel && run && (
          <button className="btn-danger" onClick={() => window.confirm('Cancel this run after the batch in flight?') && runCancel({ input: { runId: run.id } })}>
            Cancel run
          </button>
        )}
      </PageHeader>
      <ErrorBanner error={error ?? mutationError} />
      {fetching && !data && <Loading />}
      {overview && (
        <section aria-label="Pipeline">
          <h2>Pipeline</h2>
          <p className="muted">
            Estimated {overview.estimatedCredits} credits for what is pending; {overview.creditsAvailable} available.
          </p>
          <ol className="pipeline">
            {overview.stages.map((s) => {
              const rs = run?.stages.find((x) => x.stage === s.stage);
              const current = run && !finished && run.stage === s.stage;
              const percent = current && live ? live.stagePercent : (rs?.percent ?? 0);
              return (
                <li key={s.stage} className={`stage ${current ? 'stage-current' : ''} ${s.enabled ? '' : 'stage-off'}`} data-testid={`stage-${s.stage}`}>
                  <strong>
                    {s.number}. {STAGE_LABELS[s.stage]}
                  </strong>
                  <span>{s.enabled ? `${s.pending} pending · ~${s.estimatedCredits} credits` : 'off'}</span>
                  {rs && (
                    <>
                      <progress max={100} value={percent} aria-label={`Stage ${s.number} progress`} />
                      <span className="small">
                        <Badge value={rs.status} /> {rs.done} done · {rs.skipped} skipped · {rs.failed} failed · {rs.creditsSpent} credits
                      </span>
                      {current && live?.currentJob && (
                        <span className="small muted">
                          {humanize(live.currentJob.phase)} {live.currentJob.message}
                        </span>
                      )}
                    </>
                  )}
                </li>
              );
            })}
          </ol>
          {run && <RunSummary run={run} />}
        </section>
      )}
      <section aria-label="History">
        <h2>History</h2>
        {history.length ? (
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Trigger</th>
                <th>Status</th>
                <th>Stage</th>
                <th>Credits</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {history.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.createdAt)}</td>
                  <td>{humanize(r.trigger)}</td>
                  <td>
                    <Badge value={r.status} />
                  </td>
                  <td>{r.stageNumber}</td>
                  <td>{r.creditsSpent}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No runs yet.</p>
        )}
      </section>
      {data && <ConfigForm siteId={siteId} config={data.automationConfig} canEdit={rights.configure} />}
      {data && <Rules siteId={siteId} rules={data.automationRules} canEdit={rights.rules} onChange={() => refetch({ requestPolicy: 'network-only' })} />}
    </div>
  );
}

function RunSummary({ run }: { run: Run }) {
  const issues = run.stages.flatMap((s) => s.issues.map((i) => ({ ...i, stage: s.stage })));
  return (
    <div className="card" aria-label="Current run">
      <p>
        Run <Badge value={run.status} /> {run.pauseReason && <Badge value={run.pauseReason} />} · {humanize(run.trigger)} · {run.creditsSpent}
        {run.creditCap != null ? ` of ${run.creditCap}` : ''} credits spent
      </p>
      <p data-testid="run-message">{run.message}</p>
      {issues.length > 0 && (
        <details>
          <summary>{issues.length} skipped or failed item(s)</summary>
          <ul>
            {issues.map((i) => (
              <li key={`${i.stage}-${i.itemId}`}>
                {STAGE_LABELS[i.stage]}: {humanize(i.outcome)} — {i.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

type Config = AutomationPageQueryData['automationConfig'];

const FREQUENCIES: AutomationFrequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'CRON'];
const MODES: AutomationPublishMode[] = ['REVIEW', 'DRAFT', 'PUBLISH', 'SCHEDULED'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ConfigForm({ siteId, config: loaded, canEdit }: { siteId: string; config: Config; canEdit: boolean }) {
  const [save, runSave] = useMutation(UpdateAutomationConfigMutation);
  // the saved answer is the newest (next due time, connection) until the page reloads
  const config: Config = save.data?.updateAutomationConfig ?? loaded;
  const [enabled, setEnabled] = useState(config.enabled);
  const [stages, setStages] = useState(config.stages.map((s) => ({ stage: s.stage, enabled: s.enabled, batchSize: s.batchSize, max: s.maxBatchSize })));
  const [mode, setMode] = useState<AutomationPublishMode>(config.publishMode);
  const [cap, setCap] = useState(config.creditCap == null ? '' : String(config.creditCap));
  const [images, setImages] = useState(config.imagesPerArticle);
  const [delay, setDelay] = useState(config.delaySeconds);
  const [publishDelay, setPublishDelay] = useState(config.publishDelayMinutes);
  const [sched, setSched] = useState<ScheduleForm>(scheduleForm(config.schedule));
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = await runSave({
      input: {
        siteId,
        enabled,
        stages: stages.map((s) => ({ stage: s.stage, enabled: s.enabled, batchSize: s.batchSize })),
        publishMode: mode,
        creditCap: cap.trim() === '' ? null : Number(cap),
        imagesPerArticle: images,
        delaySeconds: delay,
        publishDelayMinutes: publishDelay,
        schedule: scheduleInput(sched),
      },
    });
    if (r.data) setSaved(true);
  };
  return (
    <section aria-label="Configuration">
      <h2>Configuration and schedule</h2>
      {!canEdit && <ReadOnlyNote what="the automation's configuration" />}
      <form onSubmit={submit} aria-label="Automation configuration">
        <fieldset disabled={!canEdit}>
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Schedules and rules may start runs
          </label>
          <table>
            <thead>
              <tr>
                <th>Stage</th>
                <th>Runs</th>
                <th>Batch size</th>
              </tr>
            </thead>
            <tbody>
              {stages.map((s, i) => (
                <tr key={s.stage}>
                  <td>
                    {i + 1}. {STAGE_LABELS[s.stage]}
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Run stage ${i + 1}`}
                      checked={s.enabled}
                      onChange={(e) => setStages(stages.map((x) => (x.stage === s.stage ? { ...x, enabled: e.target.checked } : x)))}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      max={s.max}
                      aria-label={`Batch size of stage ${i + 1}`}
                      value={s.batchSize}
                      onChange={(e) => setStages(stages.map((x) => (x.stage === s.stage ? { ...x, batchSize: Number(e.target.value) } : x)))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="field">
            <span>After review (stage 7)</span>
            <select name="publishMode" value={mode} onChange={(e) => setMode(e.target.value as AutomationPublishMode)}>
              {MODES.map((m) => (
                <option key={m} value={m}>
                  {m === 'REVIEW' ? 'Stop in review' : `Publish to WordPress: ${humanize(m)}`}
                </option>
              ))}
            </select>
          </label>
          {mode !== 'REVIEW' && !config.publishingAvailable && (
            <p className="alert alert-warn">This site has no WordPress connection: articles will stay in review until you connect it (Sites).</p>
          )}
          {mode === 'SCHEDULED' && (
            <label className="field">
              <span>Go live after (minutes)</span>
              <input type="number" min={5} max={43200} value={publishDelay} onChange={(e) => setPublishDelay(Number(e.target.value))} />
            </label>
          )}
          <label className="field">
            <span>Credit cap per run (empty: the balance)</span>
            <input name="creditCap" type="number" min={0} value={cap} onChange={(e) => setCap(e.target.value)} />
          </label>
          <label className="field">
            <span>In-article images per article</span>
            <input type="number" min={1} max={6} value={images} onChange={(e) => setImages(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>Seconds between batches</span>
            <input type="number" min={0} max={3600} value={delay} onChange={(e) => setDelay(Number(e.target.value))} />
          </label>
          <fieldset aria-label="Schedule">
            <legend>Schedule</legend>
            <label className="check">
              <input type="checkbox" name="scheduleOn" checked={sched.on} onChange={(e) => setSched({ ...sched, on: e.target.checked })} /> Start runs on a schedule
            </label>
            {sched.on && (
              <>
                <label className="field">
                  <span>Repeat</span>
                  <select name="frequency" value={sched.frequency} onChange={(e) => setSched({ ...sched, frequency: e.target.value as AutomationFrequency })}>
                    {FREQUENCIES.map((f) => (
                      <option key={f} value={f}>
                        {humanize(f)}
                      </option>
                    ))}
                  </select>
                </label>
                {sched.frequency === 'CRON' ? (
                  <label className="field">
                    <span>Cron (minute hour day month weekday)</span>
                    <input name="cron" value={sched.cron} onChange={(e) => setSched({ ...sched, cron: e.target.value })} />
                  </label>
                ) : (
                  <label className="field">
                    <span>At</span>
                    <input name="time" type="time" value={sched.time} onChange={(e) => setSched({ ...sched, time: e.target.value })} />
                  </label>
                )}
                {sched.frequency === 'WEEKLY' && (
                  <label className="field">
                    <span>On</span>
                    <select value={sched.weekday} onChange={(e) => setSched({ ...sched, weekday: Number(e.target.value) })}>
                      {WEEKDAYS.map((d, i) => (
                        <option key={d} value={i}>
                          {d}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                {sched.frequency === 'MONTHLY' && (
                  <label className="field">
                    <span>Day of the month (1–28)</span>
                    <input type="number" min={1} max={28} value={sched.dayOfMonth} onChange={(e) => setSched({ ...sched, dayOfMonth: Number(e.target.value) })} />
                  </label>
                )}
                <label className="field">
                  <span>Time zone</span>
                  <input name="timeZone" value={sched.timeZone} onChange={(e) => setSched({ ...sched, timeZone: e.target.value })} />
                </label>
              </>
            )}
            {config.schedule && (
              <p className="muted" data-testid="next-run">
                {config.schedule.nextRunAt ? `Next run ${formatDate(config.schedule.nextRunAt)}` : 'No next run while automation is off'} ({config.schedule.cron},{' '}
                {config.schedule.timeZone})
              </p>
            )}
          </fieldset>
          {canEdit && (
            <button type="submit" className="btn-primary" disabled={save.fetching}>
              Save configuration
            </button>
          )}
        </fieldset>
        <ErrorBanner error={save.error} />
        {saved && <p role="status">Saved.</p>}
      </form>
    </section>
  );
}

type Rule = AutomationPageQueryData['automationRules'][number];
const TRIGGERS: AutomationRuleTrigger[] = ['KEYWORD_ADDED', 'CLUSTER_CREATED', 'IDEA_CREATED', 'CONTENT_GENERATED'];
const STAGES = Object.keys(STAGE_LABELS) as AutomationStage[];

function Rules({ siteId, rules, canEdit, onChange }: { siteId: string; rules: Rule[]; canEdit: boolean; onChange: () => void }) {
  const [create, runCreate] = useMutation(CreateAutomationRuleMutation);
  const [update, runUpdate] = useMutation(UpdateAutomationRuleMutation);
  const [del, runDelete] = useMutation(DeleteAutomationRuleMutation);
  const empty = { name: '', trigger: 'KEYWORD_ADDED' as AutomationRuleTrigger, actionStage: 'CLUSTERS' as AutomationStage, minPending: 1, maxExecutionsPerDay: 10, creditLimitPerExecution: 100 };
  const [form, setForm] = useState(empty);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await runCreate({ input: { siteId, ...form } });
    if (r.data) {
      setForm(empty);
      onChange();
    }
  };
  return (
    <section aria-label="Rules">
      <h2>Rules</h2>
      {rules.length ? (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>When</th>
              <th>Then run</th>
              <th>If pending ≥</th>
              <th>Today / max</th>
              <th>Credit limit</th>
              <th>Last outcome</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{humanize(r.trigger)}</td>
                <td>{STAGE_LABELS[r.actionStage]}</td>
                <td>{r.minPending}</td>
                <td>
                  {r.executionsToday} / {r.maxExecutionsPerDay}
                </td>
                <td>{r.creditLimitPerExecution}</td>
                <td>{r.executions[0] ? `${humanize(r.executions[0].outcome)}: ${r.executions[0].message}` : '—'}</td>
                <td>
                  {canEdit && (
                    <>
                      <button disabled={update.fetching} onClick={async () => (await runUpdate({ input: { id: r.id, enabled: !r.enabled } })).data && onChange()}>
                        {r.enabled ? 'Turn off' : 'Turn on'}
                      </button>{' '}
                      <button
                        className="btn-danger"
                        disabled={del.fetching}
                        onClick={async () => window.confirm(`Delete rule ${r.name}?`) && (await runDelete({ input: { id: r.id } })).data && onChange()}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No rules.</p>
      )}
      {canEdit && (
        <form className="inline-form" onSubmit={submit} aria-label="New rule">
          <label className="field">
            <span>Name</span>
            <input name="ruleName" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label className="field">
            <span>When</span>
            <select value={form.trigger} onChange={(e) => setForm({ ...form, trigger: e.target.value as AutomationRuleTrigger })}>
              {TRIGGERS.map((t) => (
                <option key={t} value={t}>
                  {humanize(t)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Then run</span>
            <select value={form.actionStage} onChange={(e) => setForm({ ...form, actionStage: e.target.value as AutomationStage })}>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {STAGE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>If pending ≥</span>
            <input type="number" min={0} value={form.minPending} onChange={(e) => setForm({ ...form, minPending: Number(e.target.value) })} />
          </label>
          <label className="field">
            <span>Max per day</span>
            <input type="number" min={1} max={1000} value={form.maxExecutionsPerDay} onChange={(e) => setForm({ ...form, maxExecutionsPerDay: Number(e.target.value) })} />
          </label>
          <label className="field">
            <span>Credit limit</span>
            <input type="number" min={0} value={form.creditLimitPerExecution} onChange={(e) => setForm({ ...form, creditLimitPerExecution: Number(e.target.value) })} />
          </label>
          <button type="submit" disabled={create.fetching}>
            Add rule
          </button>
          <ErrorBanner error={create.error ?? update.error ?? del.error} />
        </form>
      )}
    </section>
  );
}
