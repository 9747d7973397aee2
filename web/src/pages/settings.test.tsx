import { describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { CombinedError, Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { GraphQLError } from 'graphql';
import { canManage } from '../components/access';
import { IntegrationForm } from './Integrations';
import { PromptEditor } from './Prompts';
import { fieldErrors } from '../lib/errors';
import type { IntegrationFieldsFragment } from '../gql/graphql';

/** A client whose every mutation answers `answer(variables)`. */
function mockClient(answer: (vars: Record<string, unknown>) => { data?: unknown; error?: CombinedError }) {
  const executeMutation = vi.fn((op: { variables: Record<string, unknown> }) => fromValue({ operation: op, ...answer(op.variables), stale: false, hasNext: false }));
  const client = { executeMutation, executeQuery: vi.fn(), executeSubscription: vi.fn() } as unknown as Client;
  const wrap = ({ children }: { children: ReactNode }) => <Provider value={client}>{children}</Provider>;
  return { executeMutation, wrap };
}

const badInput = (field: string, message: string) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } })] });

const settings: IntegrationFieldsFragment = {
  textProvider: 'OFFLINE',
  imageProvider: 'OFFLINE',
  textProviderOverride: null,
  imageProviderOverride: null,
  openaiBaseUrl: 'https://api.openai.com/v1',
  openaiBaseUrlOverride: null,
  openaiKey: { source: 'NONE', hint: null },
  runwareKey: { source: 'NONE', hint: null },
  models: [
    { function: 'GENERATE_CONTENT', model: 'offline-1', isOverride: false },
    { function: 'GENERATE_IDEAS', model: 'offline-1', isOverride: false },
  ],
  updatedAt: null,
};

describe('IntegrationForm', () => {
  it('sends the key once, then shows only its hint and an empty key field', async () => {
    const saved = { ...settings, textProvider: 'OPENAI', textProviderOverride: 'OPENAI', openaiKey: { source: 'ACCOUNT', hint: 'sk-…cret' }, updatedAt: '2026-12-01T22:00:00Z' };
    const { executeMutation, wrap } = mockClient(() => ({ data: { updateIntegrationSettings: saved } }));
    render(<IntegrationForm settings={settings} canWrite />, { wrapper: wrap });
    fireEvent.change(screen.getByLabelText('Text provider'), { target: { value: 'OPENAI' } });
    const key = screen.getByLabelText('OpenAI API key') as HTMLInputElement;
    expect(key.type).toBe('password');
    fireEvent.change(key, { target: { value: 'sk-very-secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    const input = (executeMutation.mock.calls[0][0] as { variables: { input: Record<string, unknown> } }).variables.input;
    expect(input).toMatchObject({ textProvider: 'OPENAI', imageProvider: null, openaiBaseUrl: null, openaiApiKey: 'sk-very-secret' });
    expect('runwareApiKey' in input).toBe(false); // an empty field leaves the key alone
    expect(key.value).toBe('');
    expect(screen.getByTestId('int-openai-key-help').textContent).toBe('Account key sk-…cret');
    expect(screen.getByTestId('int-text-help').textContent).toBe('In use: OpenAI-compatible');
    expect(document.body.innerHTML).not.toContain('sk-very-secret');
  });

  it('shows a field error next to its field', async () => {
    const { wrap } = mockClient(() => ({ error: badInput('openaiBaseUrl', 'openaiBaseUrl: not a URL') }));
    render(<IntegrationForm settings={settings} canWrite />, { wrapper: wrap });
    fireEvent.change(screen.getByLabelText('OpenAI base URL'), { target: { value: 'http://x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const err = await screen.findByText('not a URL');
    expect(err.id).toBe('int-base-err');
    expect(screen.getByLabelText('OpenAI base URL').getAttribute('aria-describedby')).toBe('int-base-err int-base-help');
  });

  it('removes the account key with null', async () => {
    const withKey = { ...settings, openaiKey: { source: 'ACCOUNT' as const, hint: 'sk-…cret' } };
    const { executeMutation, wrap } = mockClient(() => ({ data: { updateIntegrationSettings: settings } }));
    render(<IntegrationForm settings={withKey} canWrite />, { wrapper: wrap });
    fireEvent.click(screen.getByLabelText("Remove the account's OpenAI key"));
    expect(screen.getByLabelText('OpenAI API key')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    const input = (executeMutation.mock.calls[0][0] as { variables: { input: Record<string, unknown> } }).variables.input;
    expect(input.openaiApiKey).toBeNull();
    expect(screen.getByTestId('int-openai-key-help').textContent).toBe('No key');
  });

  it('is read-only without rights', () => {
    const { wrap } = mockClient(() => ({}));
    render(<IntegrationForm settings={settings} canWrite={false} />, { wrapper: wrap });
    expect(screen.getByRole('button', { name: 'Save settings' })).toHaveProperty('disabled', true);
  });
});

const prompt = {
  function: 'GENERATE_IDEAS' as const,
  template: 'Ideas for {{ cluster }}',
  isCustom: false,
  defaultTemplate: 'Ideas for {{ cluster }}',
  placeholders: ['cluster', 'keywords'],
  updatedAt: null,
};

describe('PromptEditor', () => {
  it('lists the placeholders and shows a template error with its line', async () => {
    const { wrap } = mockClient(() => ({ error: badInput('template', 'template: line 2: unexpected end of input') }));
    render(<PromptEditor prompt={prompt} canWrite />, { wrapper: wrap });
    expect(screen.getByText('{{ keywords }}')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Template for Generate ideas'), { target: { value: 'Ideas\n{% if %}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('line 2: unexpected end of input');
    expect(screen.getByRole('button', { name: 'Reset to default' })).toHaveProperty('disabled', true);
  });

  it('saves an override, then resets it to the default', async () => {
    const { executeMutation, wrap } = mockClient((v) =>
      'template' in (v.input as object)
        ? { data: { savePrompt: { ...prompt, template: (v.input as { template: string }).template, isCustom: true } } }
        : { data: { resetPrompt: prompt } },
    );
    render(<PromptEditor prompt={prompt} canWrite />, { wrapper: wrap });
    const area = screen.getByLabelText('Template for Generate ideas') as HTMLTextAreaElement;
    fireEvent.change(area, { target: { value: 'Custom {{ cluster }}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(screen.getByText('Custom')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to default' }));
    await screen.findByText('Back on the default template.');
    await waitFor(() => expect(area.value).toBe(prompt.defaultTemplate));
    expect(screen.getByText('Default')).toBeTruthy();
    expect(executeMutation).toHaveBeenCalledTimes(2);
  });

  it('hides the write controls from editors and viewers', () => {
    const { wrap } = mockClient(() => ({}));
    render(<PromptEditor prompt={prompt} canWrite={false} />, { wrapper: wrap });
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.getByLabelText('Template for Generate ideas')).toHaveProperty('readOnly', true);
  });
});

describe('settings helpers', () => {
  it('only owners and admins manage settings', () => {
    expect(['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'].map((r) => canManage(r as 'OWNER'))).toEqual([true, true, false, false]);
  });

  it('splits field errors from the rest', () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('openaiApiKey: too short', { extensions: { code: 'BAD_USER_INPUT', field: 'openaiApiKey' } }),
        new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }),
      ],
    });
    const { fields, rest } = fieldErrors(error);
    expect(fields).toEqual({ openaiApiKey: 'too short' });
    expect(rest).toMatch(/permission/);
    expect(fieldErrors(badInput('template', 'x')).rest).toBeNull();
  });
});
