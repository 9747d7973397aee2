// Shapes for the Billing page: usage points as chart rows, limits as bars.

export interface UsagePointIn {
  start?: string | null;
  credits: number;
  byFunction: { function: string; credits: number }[];
}

export interface ChartRow {
  day: string;
  total: number;
  [fn: string]: number | string;
}

/** Chart rows (one per day, every function a column, 0 when unused) and the functions used. */
export function stackUsage(points: UsagePointIn[]): { rows: ChartRow[]; functions: string[] } {
  const functions = [...new Set(points.flatMap((p) => p.byFunction.filter((f) => f.credits > 0).map((f) => f.function)))].sort();
  const rows = points.map((p) => {
    const row: ChartRow = { day: (p.start ?? '').slice(0, 10), total: p.credits };
    for (const f of functions) row[f] = 0;
    for (const f of p.byFunction) if (functions.includes(f.function)) row[f.function] = f.credits;
    return row;
  });
  return { rows, functions };
}

const LIMIT_NAMES: Record<string, string> = {
  max_sites: 'Sites',
  max_users: 'Users',
  max_keywords: 'Keywords',
  max_clusters: 'Clusters',
  max_ideas: 'Ideas',
};

/** "Sites: 2 of 3" and how full, 0–100. */
export function limitBar(l: { limit: string; max: number; usage: number }): { label: string; text: string; percent: number } {
  const label = LIMIT_NAMES[l.limit] ?? l.limit.replace(/^max_/, '').replace(/_/g, ' ');
  const percent = l.max > 0 ? Math.min(100, Math.round((l.usage / l.max) * 100)) : 100;
  return { label, text: `${l.usage.toLocaleString()} of ${l.max.toLocaleString()}`, percent };
}
