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
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={String(props.value)}
        title={props.help}
        onChange={(e) => {
          const picked = props.options.find((o) => String(o) === e.target.value);
          if (picked !== undefined) props.onChange(picked);
        }}
      >
        {props.options.map((o) => (
          <option key={String(o)} value={String(o)}>{props.format ? props.format(o) : String(o)}</option>
        ))}
      </select>
    </div>
  );
}
