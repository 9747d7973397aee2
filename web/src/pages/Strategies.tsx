import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CreateStrategyMutation, DeleteStrategyMutation, StrategiesQuery, UpdateStrategyMutation } from '../lib/ops';
import type { AiFunction, StrategyFieldsFragment } from '../gql/graphql';
import { ReadOnlyNote, useCanManage } from '../components/access';
import { FieldError } from '../components/form';
import { Badge, Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { AI_FUNCTIONS } from '../lib/ai';
import { fieldErrors } from '../lib/errors';
import { humanize } from '../lib/format';
import { useWorkspace } from '../state';

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
