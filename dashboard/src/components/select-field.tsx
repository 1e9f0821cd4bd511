import { type SelectHTMLAttributes, useId } from 'react';

export interface Option {
  value: string;
  label: string;
}

/** A labelled select, styled like the text fields of components/field.tsx. */
export function SelectField({
  label,
  options,
  hint,
  ...select
}: { label: string; options: readonly Option[]; hint?: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="input select" aria-describedby={hint ? `${id}-hint` : undefined} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}
