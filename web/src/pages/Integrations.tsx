import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { IntegrationSettingsQuery, TestImageGenerationMutation, TestIntegrationMutation, UpdateIntegrationSettingsMutation } from '../lib/ops';
import type { ImageProvider, IntegrationFieldsFragment, TextProvider, UpdateIntegrationSettingsInput } from '../gql/graphql';
import { useCanManage } from '../components/access';
import { Field, FieldError, controlProps } from '../components/form';
import { Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { AI_FUNCTIONS } from '../lib/ai';
import { errorCode, fieldErrors } from '../lib/errors';
import { formatDate, humanize } from '../lib/format';

const TEXT_PROVIDERS: TextProvider[] = ['OFFLINE', 'OPENAI'];
const IMAGE_PROVIDERS: ImageProvider[] = ['OFFLINE', 'OPENAI', 'RUNWARE'];
const PROVIDER_NAMES: Record<TextProvider | ImageProvider, string> = { OFFLINE: 'Offline (built in)', OPENAI: 'OpenAI-compatible', RUNWARE: 'Runware' };
export const providerName = (p: TextProvider | ImageProvider) => PROVIDER_NAMES[p] ?? humanize(p);

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
  const ctl = controlProps(fields);
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
