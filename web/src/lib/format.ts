/** AUTO_CLUSTER → "Auto cluster" */
export function humanize(value: string | null | undefined): string {
  if (!value) return '';
  const s = value.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatNumber(n: number | null | undefined): string {
  return n == null ? '—' : n.toLocaleString('en-US');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The low-credit warning (BIL-4): under 10 % of the plan's monthly credits. */
export function isLowCredit(available: number, monthly: number): boolean {
  return monthly > 0 && available < monthly * 0.1;
}

/** The balance banner: none, running low (under 10 % of the plan), or none left. */
export function creditBanner(available: number, monthly: number): string | null {
  if (available <= 0) return 'No credits left: AI jobs are refused until credits are added.';
  if (isLowCredit(available, monthly)) return 'Credits are running low (under 10 % of your plan). AI jobs will be refused when they run out.';
  return null;
}

export function jobSummary(result: unknown): string | null {
  if (result && typeof result === 'object' && 'summary' in result) {
    const s = (result as { summary: unknown }).summary;
    if (typeof s === 'string') return s;
    if (s && typeof s === 'object') {
      return Object.entries(s as Record<string, unknown>)
        .map(([k, v]) => `${humanize(k)}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ');
    }
  }
  return null;
}

export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
