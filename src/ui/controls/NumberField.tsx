// A whole-number input that commits on Enter or when it loses focus, so typing
// "1234" does not restart the run four times. Invalid input snaps back.

import { useEffect, useId, useState } from 'react';

export function NumberField(props: { label: string; value: number; min: number; max: number; onCommit(value: number): void; help?: string }) {
  const id = useId();
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const commit = () => {
    const v = Number(text);
    if (text.trim() !== '' && Number.isInteger(v) && v >= props.min && v <= props.max) {
      if (v !== props.value) props.onCommit(v);
    } else {
      setText(String(props.value));
    }
  };
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        value={text}
        title={props.help}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => { if (e.key === 'Enter') commit(); }}
      />
    </div>
  );
}
