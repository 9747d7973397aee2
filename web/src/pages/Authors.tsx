import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { AuthorProfilesQuery, CreateAuthorProfileMutation, DeleteAuthorProfileMutation, UpdateAuthorProfileMutation } from '../lib/ops';
import type { AuthorProfilesQuery as AuthorsData } from '../gql/graphql';
import { ReadOnlyNote, useCanManage } from '../components/access';
import { FieldError } from '../components/form';
import { Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { fieldErrors } from '../lib/errors';

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
