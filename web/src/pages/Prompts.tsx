import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { PromptsQuery, ResetPromptMutation, SavePromptMutation } from '../lib/ops';
import type { PromptsQuery as PromptsData } from '../gql/graphql';
import { ReadOnlyNote, useCanManage } from '../components/access';
import { FieldError } from '../components/form';
import { Badge, Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { describeError, fieldErrors } from '../lib/errors';
import { humanize } from '../lib/format';

type Prompt = PromptsData['prompts'][number];

export function PromptEditor({ prompt, canWrite }: { prompt: Prompt; canWrite: boolean }) {
  const [draft, setDraft] = useState(prompt.template);
  const [note, setNote] = useState<string | null>(null);
  const [custom, setCustom] = useState(prompt.isCustom);
  const [saveState, save] = useMutation(SavePromptMutation);
  const [resetState, reset] = useMutation(ResetPromptMutation);
  const name = humanize(prompt.function);
  const { fields, rest } = fieldErrors(saveState.error);
  const id = `prompt-${prompt.function}`;
  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setNote(null);
    const r = await save({ input: { function: prompt.function, template: draft } });
    if (r.data) {
      setDraft(r.data.savePrompt.template);
      setCustom(r.data.savePrompt.isCustom);
      setNote('Saved.');
    }
  };
  const onReset = async () => {
    setNote(null);
    const r = await reset({ input: { function: prompt.function } });
    if (r.data) {
      setDraft(r.data.resetPrompt.template);
      setCustom(r.data.resetPrompt.isCustom);
      setNote('Back on the default template.');
    }
  };
  return (
    <form className="card" onSubmit={onSave} aria-label={`${name} prompt`}>
      <div className="card-head">
        <h2>{name}</h2>
        <Badge value={custom ? 'CUSTOM' : 'DEFAULT'} />
      </div>
      <label className="field">
        <span>Template for {name}</span>
        <textarea
          className="code"
          rows={10}
          value={draft}
          readOnly={!canWrite}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={fields.template ? true : undefined}
          aria-describedby={fields.template ? `${id}-err` : `${id}-help`}
        />
      </label>
      <FieldError id={`${id}-err`} message={fields.template} />
      <p className="muted small" id={`${id}-help`}>
        Placeholders:{' '}
        {prompt.placeholders.map((p, i) => (
          <span key={p}>
            {i > 0 && ', '}
            <code>{`{{ ${p} }}`}</code>
          </span>
        ))}
      </p>
      {canWrite && (
        <div className="row-actions">
          <button type="submit" className="btn-primary" disabled={saveState.fetching}>
            Save
          </button>
          <button type="button" disabled={resetState.fetching || !custom} onClick={onReset}>
            Reset to default
          </button>
          {draft !== prompt.defaultTemplate && (
            <button type="button" className="btn-ghost" onClick={() => setDraft(prompt.defaultTemplate)}>
              Load default into editor
            </button>
          )}
          {note && (
            <span className="muted" role="status">
              {note}
            </span>
          )}
        </div>
      )}
      <ErrorBanner message={rest ?? describeError(resetState.error)} />
    </form>
  );
}

export function PromptsPage() {
  const canWrite = useCanManage();
  const [{ data, fetching, error }] = useQuery({ query: PromptsQuery });
  const prompts = data?.prompts ?? [];
  return (
    <>
      <PageHeader title="Prompts" />
      <p className="muted">The template each AI function renders (Jinja syntax). Saving overrides the default for this account.</p>
      {!canWrite && <ReadOnlyNote what="prompts" />}
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : prompts.length === 0 ? (
        !error && <Empty title="No prompts to show" />
      ) : (
        prompts.map((p) => <PromptEditor key={p.function} prompt={p} canWrite={canWrite} />)
      )}
    </>
  );
}
