// Automation page logic without React: which controls a run offers, the
// schedule form to and from the API, and live events folded by `seq`.
import type { AutomationFrequency, AutomationRunStatus, AutomationScheduleInput, Role } from '../gql/graphql';

export const STAGE_LABELS: Record<string, string> = {
  CLUSTERS: 'Keywords → clusters',
  IDEAS: 'Clusters → ideas',
  TASKS: 'Ideas → tasks',
  CONTENT: 'Tasks → articles',
  IMAGE_PROMPTS: 'Articles → image prompts',
  IMAGES: 'Prompts → images',
  REVIEW: 'Review / publish',
};

/** What the caller may do with runs and configuration (the API decides; this only hides what it would refuse). */
export function automationRights(role: Role | null | undefined) {
  const admin = role === 'OWNER' || role === 'ADMIN' || role === 'DEVELOPER';
  // editors may start and pause on their granted sites (the only ones they are shown);
  // resuming and cancelling are the owners' and admins'
  const operate = admin || role === 'EDITOR';
  return { operate, configure: admin, resume: admin, cancel: admin, rules: admin };
}

/** The buttons a run in `status` offers (none when there is no active run but start). */
export function runActions(status: AutomationRunStatus | null | undefined, rights: ReturnType<typeof automationRights>) {
  const active = status === 'RUNNING' || status === 'PAUSED';
  return {
    start: rights.operate && !active,
    pause: rights.operate && status === 'RUNNING',
    resume: rights.resume && status === 'PAUSED',
    cancel: rights.cancel && active,
  };
}

export interface ScheduleForm {
  on: boolean;
  frequency: AutomationFrequency;
  time: string;
  weekday: number;
  dayOfMonth: number;
  cron: string;
  timeZone: string;
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The form from a stored schedule (kept as a cron expression: daily/weekly/monthly read back from it). */
export function scheduleForm(s: { frequency: AutomationFrequency; cron: string; timeZone: string } | null | undefined): ScheduleForm {
  const base: ScheduleForm = { on: false, frequency: 'DAILY', time: '03:00', weekday: 1, dayOfMonth: 1, cron: '0 3 * * *', timeZone: browserTimeZone() };
  if (!s) return base;
  const [m, h, dom, , dow] = s.cron.split(/\s+/);
  const time = /^\d+$/.test(m ?? '') && /^\d+$/.test(h ?? '') ? `${h!.padStart(2, '0')}:${m!.padStart(2, '0')}` : base.time;
  return {
    on: true,
    frequency: s.frequency,
    time,
    weekday: /^\d$/.test(dow ?? '') ? Number(dow) : base.weekday,
    dayOfMonth: /^\d+$/.test(dom ?? '') ? Number(dom) : base.dayOfMonth,
    cron: s.cron,
    timeZone: s.timeZone,
  };
}

/** The `schedule` of updateAutomationConfig: `null` removes it. */
export function scheduleInput(f: ScheduleForm): AutomationScheduleInput | null {
  if (!f.on) return null;
  switch (f.frequency) {
    case 'CRON':
      return { frequency: 'CRON', cron: f.cron.trim(), timeZone: f.timeZone };
    case 'WEEKLY':
      return { frequency: 'WEEKLY', time: f.time, weekday: f.weekday, timeZone: f.timeZone };
    case 'MONTHLY':
      return { frequency: 'MONTHLY', time: f.time, dayOfMonth: f.dayOfMonth, timeZone: f.timeZone };
    default:
      return { frequency: 'DAILY', time: f.time, timeZone: f.timeZone };
  }
}

export interface ProgressLike {
  seq: number;
  currentJob?: { seq: number } | null;
}

/** Keeps the newest event: ordered by the run's `seq`, then the current job's `seq`. */
export function newer<T extends ProgressLike>(prev: T | undefined, next: T): T {
  if (!prev) return next;
  if (next.seq !== prev.seq) return next.seq > prev.seq ? next : prev;
  return (next.currentJob?.seq ?? 0) >= (prev.currentJob?.seq ?? 0) ? next : prev;
}
