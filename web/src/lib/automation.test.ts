import { describe, expect, it } from 'vitest';
import { automationRights, newer, runActions, scheduleForm, scheduleInput } from './automation';

describe('automation rights and run controls', () => {
  it('lets editors start and pause but not cancel or configure; viewers nothing', () => {
    const editor = automationRights('EDITOR');
    expect(editor).toEqual({ operate: true, configure: false, resume: false, cancel: false, rules: false });
    expect(runActions('PAUSED', editor).resume).toBe(false);
    expect(runActions('RUNNING', editor)).toEqual({ start: false, pause: true, resume: false, cancel: false });
    const viewer = automationRights('VIEWER');
    expect(runActions(null, viewer)).toEqual({ start: false, pause: false, resume: false, cancel: false });
    const owner = automationRights('OWNER');
    expect(runActions('PAUSED', owner)).toEqual({ start: false, pause: false, resume: true, cancel: true });
    expect(runActions('COMPLETED', owner).start).toBe(true);
  });
});

describe('schedule form', () => {
  it('reads a stored schedule back and writes the input the API takes', () => {
    const f = scheduleForm({ frequency: 'WEEKLY', cron: '30 9 * * 1', timeZone: 'Europe/Berlin' });
    expect(f).toMatchObject({ on: true, frequency: 'WEEKLY', time: '09:30', weekday: 1, timeZone: 'Europe/Berlin' });
    expect(scheduleInput(f)).toEqual({ frequency: 'WEEKLY', time: '09:30', weekday: 1, timeZone: 'Europe/Berlin' });
    expect(scheduleInput({ ...f, frequency: 'MONTHLY', dayOfMonth: 28 })).toEqual({
      frequency: 'MONTHLY',
      time: '09:30',
      dayOfMonth: 28,
      timeZone: 'Europe/Berlin',
    });
    expect(scheduleInput({ ...f, frequency: 'CRON', cron: ' */15 * * * * ' })).toEqual({
      frequency: 'CRON',
      cron: '*/15 * * * *',
      timeZone: 'Europe/Berlin',
    });
    expect(scheduleInput({ ...f, on: false })).toBeNull();
    expect(scheduleForm(null).on).toBe(false);
  });
});

describe('live progress', () => {
  it('keeps the newest event by run seq, then job seq', () => {
    type E = { seq: number; currentJob: { seq: number } | null };
    const a: E = { seq: 3, currentJob: { seq: 5 } };
    const b: E = { seq: 3, currentJob: { seq: 7 } };
    const c: E = { seq: 4, currentJob: null };
    expect(newer(undefined, a)).toBe(a);
    expect(newer(a, b)).toBe(b);
    expect(newer(b, a)).toBe(b);
    expect(newer(b, c)).toBe(c);
    expect(newer(c, b)).toBe(c);
  });
});
