import { describe, expect, it } from 'vitest';
import { CombinedError } from 'urql';
import { GraphQLError } from 'graphql';
import { describeError, errorCode } from './errors';
import { humanize, isLowCredit, jobSummary } from './format';
import { sanitizeHtml } from './sanitize';
import { toKeywordFilter } from '../pages/Keywords';

const gqlError = (message: string, extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] });

describe('describeError', () => {
  it('explains each code', () => {
    expect(describeError(gqlError('need 3, have 1', { code: 'INSUFFICIENT_CREDITS' }))).toBe('Not enough credits. need 3, have 1');
    expect(describeError(gqlError('must be at least 8 characters', { code: 'BAD_USER_INPUT', field: 'password' }))).toBe(
      'password: must be at least 8 characters',
    );
    expect(describeError(gqlError('site not found', { code: 'NOT_FOUND' }))).toMatch(/^Not found/);
    expect(describeError(gqlError('a 6th active sector', { code: 'LIMIT_EXCEEDED' }))).toBe('Limit reached: a 6th active sector');
    expect(describeError(gqlError('slow down', { code: 'RATE_LIMITED' }))).toMatch(/Too many requests/);
    expect(describeError(new CombinedError({ networkError: new Error('offline') }))).toMatch(/Cannot reach the server/);
    expect(describeError(undefined)).toBeNull();
    expect(errorCode(gqlError('x', { code: 'CONFLICT' }))).toBe('CONFLICT');
  });
});

describe('format', () => {
  it('warns under 10 % of the monthly credits', () => {
    expect(isLowCredit(9, 100)).toBe(true);
    expect(isLowCredit(10, 100)).toBe(false);
    expect(isLowCredit(0, 0)).toBe(false);
  });
  it('humanizes enum values and job summaries', () => {
    expect(humanize('GENERATE_IMAGE_PROMPTS')).toBe('Generate image prompts');
    expect(jobSummary({ summary: { clusters: 3, keywords: 12 } })).toBe('Clusters: 3, Keywords: 12');
    expect(jobSummary({ summary: '3 clusters' })).toBe('3 clusters');
    expect(jobSummary(null)).toBeNull();
  });
});

describe('sanitizeHtml', () => {
  it('keeps the article and drops scripts and handlers', () => {
    const out = sanitizeHtml('<h2>Title</h2><p onclick="steal()">Body <a href="javascript:alert(1)">x</a></p><script>alert(1)</script><img src=x onerror="alert(1)">');
    expect(out).toContain('<h2>Title</h2>');
    expect(out).toContain('Body');
    expect(out).not.toMatch(/script|onclick|onerror|javascript:/);
  });
});

describe('toKeywordFilter', () => {
  it('maps the filter form to the API filter, dropping empty fields', () => {
    expect(
      toKeywordFilter('s1', {
        search: ' pie ', status: 'ACTIVE', intent: '', clustered: 'no', clusterId: '', difficultyMin: '10', difficultyMax: '', volumeMin: '', volumeMax: '500',
      }),
    ).toEqual({
      sectorId: 's1', search: 'pie', status: 'ACTIVE', intent: undefined, clustered: false, clusterId: undefined,
      difficultyMin: 10, difficultyMax: undefined, volumeMin: undefined, volumeMax: 500,
    });
  });
});

describe('creditBanner', () => {
  it('says low while some are left and empty when none are', async () => {
    const { creditBanner } = await import('./format');
    expect(creditBanner(500, 1000)).toBeNull();
    expect(creditBanner(50, 1000)).toContain('running low');
    expect(creditBanner(0, 1000)).toContain('No credits left');
    expect(creditBanner(0, 1000)).not.toContain('low');
  });
});
