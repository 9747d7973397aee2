import { describe, expect, it } from 'vitest';
import { limitBar, stackUsage } from './billing';

describe('stackUsage', () => {
  it('makes one row per day with a column per used function, zeros filled', () => {
    const { rows, functions } = stackUsage([
      { start: '2026-12-01T00:00:00Z', credits: 4, byFunction: [{ function: 'generate_content', credits: 3 }, { function: 'auto_cluster', credits: 1 }] },
      { start: '2026-12-02T00:00:00Z', credits: 0, byFunction: [] },
      { start: '2026-12-03T00:00:00Z', credits: 2, byFunction: [{ function: 'generate_images', credits: 2 }] },
    ]);
    expect(functions).toEqual(['auto_cluster', 'generate_content', 'generate_images']);
    expect(rows).toEqual([
      { day: '2026-12-01', total: 4, auto_cluster: 1, generate_content: 3, generate_images: 0 },
      { day: '2026-12-02', total: 0, auto_cluster: 0, generate_content: 0, generate_images: 0 },
      { day: '2026-12-03', total: 2, auto_cluster: 0, generate_content: 0, generate_images: 2 },
    ]);
  });
});

describe('limitBar', () => {
  it('says how much of a limit is used', () => {
    expect(limitBar({ limit: 'max_sites', max: 3, usage: 2 })).toEqual({ label: 'Sites', text: '2 of 3', percent: 67 });
    expect(limitBar({ limit: 'max_keywords', max: 10, usage: 12 }).percent).toBe(100);
    expect(limitBar({ limit: 'max_custom_things', max: 1, usage: 0 }).label).toBe('custom things');
  });
});
