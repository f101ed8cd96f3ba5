// A slider for one numeric setting, with its label and value always visible.
// Range and scale come from the config schema.

import { useId } from 'react';
import { CONFIG_FIELDS, type IntField, type RealField } from '../../core/config/fields';
import { formatValue, sliderScale } from './sliderScale';

type NumericField = { [K in keyof typeof CONFIG_FIELDS]: (typeof CONFIG_FIELDS)[K] extends IntField | RealField ? K : never }[keyof typeof CONFIG_FIELDS];

export function FieldSlider(props: {
  field: NumericField;
  value: number;
  onChange(value: number): void;
  /** Shown instead of the number, e.g. "0 (off)". */
  valueText?: string;
  hint?: string;
}) {
  const spec = CONFIG_FIELDS[props.field] as IntField | RealField;
  const scale = sliderScale(spec);
  const id = useId();
  const shown = props.valueText ?? formatValue(props.value);
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{spec.label}</label>
        <output htmlFor={id} data-testid={`value-${props.field}`}>{shown}</output>
      </div>
      <input
        id={id}
        type="range"
        min={scale.min}
        max={scale.max}
        step={scale.step}
        value={scale.toPosition(props.value)}
        aria-valuetext={shown}
        title={spec.help}
        onChange={(e) => props.onChange(scale.toValue(Number(e.target.value)))}
      />
      {props.hint && <div className="field-hint">{props.hint}</div>}
    </div>
  );
}
