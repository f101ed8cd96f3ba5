// A drop-down for a setting with a few discrete values (model, dataset, depth, width...).

import { useId } from 'react';

export function FieldSelect<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly T[];
  format?: (v: T) => string;
  onChange(value: T): void;
  help?: string;
}) {
  const id = useId();
  // A value the list does not offer (a width of 100 from a link or a demo) is shown as itself,
  // not as whichever option the browser falls back to.
  const listed = props.options.some((o) => String(o) === String(props.value));
  const options = listed ? props.options : [...props.options, props.value].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : 0));
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={String(props.value)}
        title={props.help}
        onChange={(e) => {
          const picked = options.find((o) => String(o) === e.target.value);
          if (picked !== undefined) props.onChange(picked);
        }}
      >
        {options.map((o) => (
          <option key={String(o)} value={String(o)}>{props.format ? props.format(o) : String(o)}</option>
        ))}
      </select>
    </div>
  );
}
