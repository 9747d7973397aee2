import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  AuthorProfilesQuery,
  CreateAuthorProfileMutation,
  CreateStrategyMutation,
  DeleteAuthorProfileMutation,
  DeleteStrategyMutation,
  IntegrationSettingsQuery,
  PromptsQuery,
  ResetPromptMutation,
  SavePromptMutation,
  StrategiesQuery,
  TestImageGenerationMutation,
  TestIntegrationMutation,
  UpdateAuthorProfileMutation,
  UpdateIntegrationSettingsMutation,
  UpdateStrategyMutation,
} from '../lib/ops';
import type {
  AiFunction,
  AuthorProfilesQuery as AuthorsData,
  ImageProvider,
  IntegrationFieldsFragment,
  PromptsQuery as PromptsData,
  Role,
  StrategyFieldsFragment,
  TextProvider,
  UpdateIntegrationSettingsInput,
} from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { describeError, errorCode, fieldErrors } from '../lib/errors';
import { formatDate, humanize } from '../lib/format';
import { useWorkspace } from '../state';

export const AI_FUNCTIONS: AiFunction[] = ['AUTO_CLUSTER', 'GENERATE_IDEAS', 'GENERATE_CONTENT', 'GENERATE_IMAGE_PROMPTS', 'GENERATE_IMAGES'];
const TEXT_PROVIDERS: TextProvider[] = ['OFFLINE', 'OPENAI'];
const IMAGE_PROVIDERS: ImageProvider[] = ['OFFLINE', 'OPENAI', 'RUNWARE'];
const PROVIDER_NAMES: Record<TextProvider | ImageProvider, string> = { OFFLINE: 'Offline (built in)', OPENAI: 'OpenAI-compatible', RUNWARE: 'Runware' };
export const providerName = (p: TextProvider | ImageProvider) => PROVIDER_NAMES[p] ?? humanize(p);

/** Owners and admins change these settings; editors and viewers only read them. */
export function canManage(role: Role | null | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN' || role === 'DEVELOPER';
}

function useCanManage(): boolean {
  return canManage(useWorkspace().me?.role);
}

function ReadOnlyNote({ what }: { what: string }) {
  return <p className="alert alert-warn">Only owners and admins change {what}; you can read them.</p>;
}

/** A labelled control with its help text and its error, both tied to it by id. */
function Field(props: { id: string; label: string; help?: string; error?: string; className?: string; children: ReactNode; after?: ReactNode }) {
  const { id, label, help, error, className = 'field', children, after } = props;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children}
      {help && (
        <span className="muted small" id={`${id}-help`} data-testid={`${id}-help`}>
          {help}
        </span>
      )}
      <FieldError id={`${id}-err`} message={error} />
      {after}
    </div>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  );
}

// ——— Integrations ———

function keyText(k: IntegrationFieldsFragment['openaiKey']): string {
  if (k.source === 'ACCOUNT') return `Account key ${k.hint ?? ''}`.trim();
  if (k.source === 'SERVER') return "The server's key";
  return 'No key';
}

/** A write-only API key: the field is always empty on load, the help says
 *  where the key in use comes from, and an account key can be removed. */
function KeyField(props: {
  id: string;
  provider: string;
  status: IntegrationFieldsFragment['openaiKey'];
  error?: string;
  value: string;
  onChange: (v: string) => void;
  remove: boolean;
  onRemove: (v: boolean) => void;
  emptyPlaceholder: string;
  ctl: Record<string, unknown>;
}) {
  const { id, provider, status, error, value, onChange, remove, onRemove, emptyPlaceholder, ctl } = props;
  return (
    <Field
      id={id}
      label={`${provider} API key`}
      help={keyText(status)}
      error={error}
      className="field grow"
      after={
        status.source === 'ACCOUNT' && (
          <label className="check">
            <input type="checkbox" checked={remove} onChange={(e) => onRemove(e.target.checked)} /> Remove the account's {provider} key
          </label>
        )
      }
    >
      <input
        type="password"
        autoComplete="off"
        value={value}
        disabled={remove}
        placeholder={status.source === 'NONE' ? emptyPlaceholder : 'Leave empty to keep it'}
        onChange={(e) => onChange(e.target.value)}
        {...ctl}
      />
    </Field>
  );
}

/** The account's providers, base URL, keys and models. Keys are write-only: the
 *  fields start empty and are emptied again after every save. */
export function IntegrationForm({ settings, canWrite }: { settings: IntegrationFieldsFragment; canWrite: boolean }) {
  const [text, setText] = useState<TextProvider | ''>(settings.textProviderOverride ?? '');
  const [image, setImage] = useState<ImageProvider | ''>(settings.imageProviderOverride ?? '');
  const [baseUrl, setBaseUrl] = useState(settings.openaiBaseUrlOverride ?? '');
  const [openaiKey, setOpenaiKey] = useState('');
  const [removeOpenai, setRemoveOpenai] = useState(false);
  const [runwareKey, setRunwareKey] = useState('');
  const [removeRunware, setRemoveRunware] = useState(false);
  const [models, setModels] = useState<Record<string, string>>(() =>
    Object.fromEntries(settings.models.map((m) => [m.function, m.isOverride ? m.model : ''])),
  );
  const [saved, setSaved] = useState(false);
  const [state, update] = useMutation(UpdateIntegrationSettingsMutation);
  const { fields, rest } = fieldErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const input: UpdateIntegrationSettingsInput = {
      textProvider: text || null,
      imageProvider: image || null,
      openaiBaseUrl: baseUrl.trim() || null,
      models: AI_FUNCTIONS.map((f) => ({ function: f, model: models[f]?.trim() || null })),
    };
    if (removeOpenai) input.openaiApiKey = null;
    else if (openaiKey) input.openaiApiKey = openaiKey;
    if (removeRunware) input.runwareApiKey = null;
    else if (runwareKey) input.runwareApiKey = runwareKey;
    const r = await update({ input });
    if (r.data) {
      // the key now lives (encrypted) on the server only
      setOpenaiKey('');
      setRunwareKey('');
      setRemoveOpenai(false);
      setRemoveRunware(false);
      setSaved(true);
    }
  };
  const s = state.data?.updateIntegrationSettings ?? settings;
  const ctl = (id: string, field: string, help = true) => ({
    id,
    'aria-invalid': fields[field] ? true : undefined,
    'aria-describedby': [fields[field] && `${id}-err`, help && `${id}-help`].filter(Boolean).join(' ') || undefined,
  });
  return (
    <form className="card settings-form" onSubmit={submit} aria-label="Integration settings">
      <fieldset disabled={!canWrite || state.fetching}>
        <legend className="sr-only">Providers and keys</legend>
        <div className="form-grid">
          <Field id="int-text" label="Text provider" help={`In use: ${providerName(s.textProvider)}`} error={fields.textProvider}>
            <select value={text} onChange={(e) => setText(e.target.value as TextProvider | '')} {...ctl('int-text', 'textProvider')}>
              <option value="">Server default</option>
              {TEXT_PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {providerName(p)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="int-image" label="Image provider" help={`In use: ${providerName(s.imageProvider)}`} error={fields.imageProvider}>
            <select value={image} onChange={(e) => setImage(e.target.value as ImageProvider | '')} {...ctl('int-image', 'imageProvider')}>
              <option value="">Server default</option>
              {IMAGE_PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {providerName(p)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="int-base" label="OpenAI base URL" help={s.openaiBaseUrlOverride ? "The account's own; empty it for the server's" : `Empty: the server's (${s.openaiBaseUrl})`} error={fields.openaiBaseUrl} className="field grow">
            <input type="url" value={baseUrl} placeholder={s.openaiBaseUrl} onChange={(e) => setBaseUrl(e.target.value)} {...ctl('int-base', 'openaiBaseUrl')} />
          </Field>
          <KeyField
            id="int-openai-key"
            provider="OpenAI"
            status={s.openaiKey}
            error={fields.openaiApiKey}
            value={openaiKey}
            onChange={setOpenaiKey}
            remove={removeOpenai}
            onRemove={setRemoveOpenai}
            emptyPlaceholder="sk-…"
            ctl={ctl('int-openai-key', 'openaiApiKey')}
          />
          <KeyField
            id="int-runware-key"
            provider="Runware"
            status={s.runwareKey}
            error={fields.runwareApiKey}
            value={runwareKey}
            onChange={setRunwareKey}
            remove={removeRunware}
            onRemove={setRemoveRunware}
            emptyPlaceholder=""
            ctl={ctl('int-runware-key', 'runwareApiKey')}
          />
        </div>
        <h3>Models</h3>
        <div className="form-grid">
          {s.models.map((m) => (
            <label className="field" key={m.function}>
              <span>Model for {humanize(m.function)}</span>
              <input
                value={models[m.function] ?? ''}
                placeholder={m.isOverride ? 'Server default' : m.model}
                onChange={(e) => setModels({ ...models, [m.function]: e.target.value })}
                aria-invalid={fields.models ? true : undefined}
              />
            </label>
          ))}
        </div>
        <FieldError id="err-models" message={fields.models} />
        <div className="row-actions">
          <button type="submit" className="btn-primary" disabled={!canWrite || state.fetching}>
            {state.fetching ? 'Saving…' : 'Save settings'}
          </button>
          {saved && !state.error && (
            <span className="muted" role="status">
              Saved.
            </span>
          )}
          {s.updatedAt && <span className="muted small">Last changed {formatDate(s.updatedAt)}</span>}
        </div>
      </fieldset>
      <ErrorBanner message={rest} />
    </form>
  );
}

export function IntegrationTests({ canWrite }: { canWrite: boolean }) {
  const [text, testText] = useMutation(TestIntegrationMutation);
  const [img, testImage] = useMutation(TestImageGenerationMutation);
  const t = text.data?.testIntegration;
  const i = img.data?.testImageGeneration;
  return (
    <section className="card" aria-label="Test the providers">
      <h2>Test</h2>
      <p className="muted small">Free: nothing is charged or stored.</p>
      <div className="row-actions">
        <button type="button" disabled={!canWrite || text.fetching} onClick={() => testText({})}>
          {text.fetching ? 'Testing…' : 'Test text provider'}
        </button>
        <button type="button" disabled={!canWrite || img.fetching} onClick={() => testImage({ input: {} })}>
          {img.fetching ? 'Generating…' : 'Test image generation'}
        </button>
      </div>
      <ErrorBanner error={text.error ?? img.error} />
      {t && (
        <div className={`alert ${t.ok ? 'alert-ok' : 'alert-error'}`} role="status" data-testid="text-test">
          <strong>{t.ok ? 'Connected' : 'Failed'}</strong> ({providerName(t.provider)}, {t.latencyMs} ms): {t.message}
          {t.models.length > 0 && (
            <div className="small">
              Models: {t.models.slice(0, 20).join(', ')}
              {t.models.length > 20 && ` and ${t.models.length - 20} more`}
            </div>
          )}
        </div>
      )}
      {i && (
        <div className={`alert ${i.ok ? 'alert-ok' : 'alert-error'}`} role="status" data-testid="image-test">
          <strong>{i.ok ? 'Image generated' : 'Failed'}</strong> ({providerName(i.provider)} {i.model}, {i.latencyMs} ms): {i.message}
          {i.dataUrl && <img className="test-image" src={i.dataUrl} alt={`Test image from ${providerName(i.provider)}`} />}
        </div>
      )}
    </section>
  );
}

export function IntegrationsPage() {
  const canWrite = useCanManage();
  const [{ data, fetching, error }] = useQuery({ query: IntegrationSettingsQuery });
  const s = data?.integrationSettings;
  return (
    <>
      <PageHeader title="Integrations" />
      <p className="muted">
        Which AI providers this account uses. Empty choices follow the server's defaults. Keys are stored encrypted and never shown again.
      </p>
      {errorCode(error) === 'FORBIDDEN' ? (
        <Empty title="Only owners and admins can see and change integration settings.">Ask an owner of this account.</Empty>
      ) : error ? (
        <ErrorBanner error={error} />
      ) : fetching && !s ? (
        <Loading />
      ) : s ? (
        <>
          <IntegrationForm settings={s} canWrite={canWrite} />
          <IntegrationTests canWrite={canWrite} />
        </>
      ) : null}
    </>
  );
}

// ——— Prompts ———

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

// ——— Author profiles ———

type Author = AuthorsData['authorProfiles']['nodes'][number];

export function AuthorForm({ author, onDone }: { author?: Author; onDone?: () => void }) {
  const [name, setName] = useState(author?.name ?? '');
  const [description, setDescription] = useState(author?.description ?? '');
  const [tone, setTone] = useState(author?.tone ?? 'professional');
  const [language, setLanguage] = useState(author?.language ?? 'en');
  const [created, create] = useMutation(CreateAuthorProfileMutation);
  const [updated, update] = useMutation(UpdateAuthorProfileMutation);
  const state = author ? updated : created;
  const { fields, rest } = fieldErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const values = { name, description, tone, language };
    const r = author ? await update({ input: { id: author.id, ...values } }) : await create({ input: values });
    if (r.data) {
      if (!author) {
        setName('');
        setDescription('');
      }
      onDone?.();
    }
  };
  return (
    <form className="card inline-form" onSubmit={submit} aria-label={author ? `Edit ${author.name}` : 'New author profile'}>
      <label className="field">
        <span>Name</span>
        <input required value={name} onChange={(e) => setName(e.target.value)} />
        <FieldError id="err-author-name" message={fields.name} />
      </label>
      <label className="field">
        <span>Tone</span>
        <input value={tone} onChange={(e) => setTone(e.target.value)} placeholder="friendly, authoritative…" />
        <FieldError id="err-author-tone" message={fields.tone} />
      </label>
      <label className="field narrow">
        <span>Language</span>
        <input value={language} onChange={(e) => setLanguage(e.target.value)} placeholder="en, es-MX, German" />
        <FieldError id="err-author-language" message={fields.language} />
      </label>
      <label className="field grow">
        <span>Description</span>
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
        <FieldError id="err-author-description" message={fields.description} />
      </label>
      <button type="submit" className="btn-primary" disabled={state.fetching}>
        {author ? 'Save' : 'Add author profile'}
      </button>
      {author && (
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      )}
      <ErrorBanner message={rest} />
    </form>
  );
}

export function AuthorsPage() {
  const canWrite = useCanManage();
  const [{ data, fetching, error }] = useQuery({ query: AuthorProfilesQuery });
  const [del, remove] = useMutation(DeleteAuthorProfileMutation);
  const [editing, setEditing] = useState<string | null>(null);
  const authors = data?.authorProfiles.nodes ?? [];
  const current = authors.find((a) => a.id === editing);
  return (
    <>
      <PageHeader title="Author profiles" />
      <p className="muted">A voice for ideas and articles: pick one when you generate them.</p>
      {canWrite ? <AuthorForm /> : <ReadOnlyNote what="author profiles" />}
      {current && <AuthorForm key={current.id} author={current} onDone={() => setEditing(null)} />}
      <ErrorBanner error={error ?? del.error} />
      {fetching && !data ? (
        <Loading />
      ) : authors.length === 0 ? (
        !error && <Empty title="No author profiles yet">Without one, content is written in the default professional English voice.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Author profiles">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tone</th>
                <th scope="col">Language</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {authors.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{a.tone}</td>
                  <td>{a.language}</td>
                  <td className="muted">{a.description}</td>
                  <td>
                    {canWrite && (
                      <div className="row-actions">
                        <button className="btn-small" aria-label={`Edit ${a.name}`} onClick={() => setEditing(a.id)}>
                          Edit
                        </button>
                        <button
                          className="btn-small btn-danger"
                          aria-label={`Delete ${a.name}`}
                          onClick={() => window.confirm(`Delete the author profile ${a.name}?`) && remove({ input: { id: a.id } })}
                        >
                          Delete
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The optional author for generating ideas or content. */
export function AuthorPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const [{ data }] = useQuery({ query: AuthorProfilesQuery });
  const authors = data?.authorProfiles.nodes ?? [];
  return (
    <label className="field">
      <span>Author profile</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Default voice</option>
        {authors.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} ({a.tone}, {a.language})
          </option>
        ))}
      </select>
    </label>
  );
}

// ——— Strategies ———

export function StrategyForm({ strategy, onDone }: { strategy?: StrategyFieldsFragment; onDone?: () => void }) {
  const { sites } = useWorkspace();
  const [name, setName] = useState(strategy?.name ?? '');
  const [description, setDescription] = useState(strategy?.description ?? '');
  const [sectorId, setSectorId] = useState(strategy?.sector?.id ?? '');
  const [types, setTypes] = useState<AiFunction[]>(strategy?.promptTypes ?? []);
  const [sectionLogic, setSectionLogic] = useState(strategy?.sectionLogic ?? '');
  const [isActive, setIsActive] = useState(strategy?.isActive ?? true);
  const [created, create] = useMutation(CreateStrategyMutation);
  const [updated, update] = useMutation(UpdateStrategyMutation);
  const state = strategy ? updated : created;
  const { fields, rest } = fieldErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const values = { name, description, sectorId: sectorId || null, promptTypes: types, sectionLogic, isActive };
    const r = strategy ? await update({ input: { id: strategy.id, ...values } }) : await create({ input: values });
    if (r.data) {
      if (!strategy) {
        setName('');
        setDescription('');
        setSectionLogic('');
        setTypes([]);
      }
      onDone?.();
    }
  };
  const label = strategy ? `Edit ${strategy.name}` : 'New strategy';
  return (
    <form className="card settings-form" onSubmit={submit} aria-label={label}>
      <h2>{label}</h2>
      <div className="form-grid">
        <label className="field">
          <span>Name</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
          <FieldError id="err-strategy-name" message={fields.name} />
        </label>
        <label className="field">
          <span>Sector</span>
          <select value={sectorId} onChange={(e) => setSectorId(e.target.value)}>
            <option value="">Every sector</option>
            {sites.flatMap((s) =>
              s.sectors.nodes.map((sec) => (
                <option key={sec.id} value={sec.id}>
                  {s.name} · {sec.name}
                </option>
              )),
            )}
          </select>
          <FieldError id="err-strategy-sector" message={fields.sectorId} />
        </label>
        <label className="field grow">
          <span>Description</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
      </div>
      <fieldset className="checks">
        <legend className="small muted">Functions it shapes (none ticked: all)</legend>
        {AI_FUNCTIONS.map((f) => (
          <label key={f}>
            <input
              type="checkbox"
              checked={types.includes(f)}
              onChange={(e) => setTypes(e.target.checked ? [...types, f] : types.filter((t) => t !== f))}
            />{' '}
            {humanize(f)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Section logic</span>
        <textarea rows={3} value={sectionLogic} placeholder="e.g. end with an FAQ" onChange={(e) => setSectionLogic(e.target.value)} />
        <FieldError id="err-strategy-logic" message={fields.sectionLogic} />
      </label>
      <label className="check">
        <input type="checkbox" checked={isActive} onChange={(e) => setIsActive(e.target.checked)} /> Active
      </label>
      <div className="row-actions">
        <button type="submit" className="btn-primary" disabled={state.fetching}>
          {strategy ? 'Save' : 'Add strategy'}
        </button>
        {strategy && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
      <ErrorBanner message={rest} />
    </form>
  );
}

export function StrategiesPage() {
  const canWrite = useCanManage();
  const [{ data, fetching, error }] = useQuery({ query: StrategiesQuery });
  const [del, remove] = useMutation(DeleteStrategyMutation);
  const [editing, setEditing] = useState<string | null>(null);
  const list = data?.strategies.nodes ?? [];
  const current = list.find((s) => s.id === editing);
  return (
    <>
      <PageHeader title="Strategies" />
      <p className="muted">Guidance the AI functions follow, for the whole account or one sector.</p>
      {current ? (
        <StrategyForm key={current.id} strategy={current} onDone={() => setEditing(null)} />
      ) : canWrite ? (
        <StrategyForm />
      ) : (
        <ReadOnlyNote what="strategies" />
      )}
      <ErrorBanner error={error ?? del.error} />
      {fetching && !data ? (
        <Loading />
      ) : list.length === 0 ? (
        !error && <Empty title="No strategies yet" />
      ) : (
        <div className="table-wrap">
          <table aria-label="Strategies">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Sector</th>
                <th scope="col">Functions</th>
                <th scope="col">Section logic</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.name}
                    {s.description && <div className="muted small">{s.description}</div>}
                  </td>
                  <td>{s.sector?.name ?? <span className="muted">Every sector</span>}</td>
                  <td>{s.promptTypes.length ? s.promptTypes.map(humanize).join(', ') : <span className="muted">All</span>}</td>
                  <td className="muted">{s.sectionLogic}</td>
                  <td>
                    <Badge value={s.isActive ? 'ACTIVE' : 'INACTIVE'} />
                  </td>
                  <td>
                    {canWrite && (
                      <div className="row-actions">
                        <button className="btn-small" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s.id)}>
                          Edit
                        </button>
                        <button
                          className="btn-small btn-danger"
                          aria-label={`Delete ${s.name}`}
                          onClick={() => window.confirm(`Delete the strategy ${s.name}?`) && remove({ input: { id: s.id } })}
                        >
                          Delete
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
