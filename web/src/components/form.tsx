import type { ReactNode } from 'react';

/** A labelled control with its help text and its error, both tied to it by id. */
export function Field(props: { id: string; label: string; help?: string; error?: string; className?: string; children: ReactNode; after?: ReactNode }) {
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

/** The message of a `BAD_USER_INPUT` error next to the control it names. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  );
}

/** The props that tie a control inside a `Field` to its error and help:
 *  `controlProps(fields)(id, field)` with `fields` from `fieldErrors`. */
export function controlProps(fields: Record<string, string | undefined>) {
  return (id: string, field: string, help = true) => ({
    id,
    'aria-invalid': fields[field] ? true : undefined,
    'aria-describedby': [fields[field] && `${id}-err`, help && `${id}-help`].filter(Boolean).join(' ') || undefined,
  });
}
