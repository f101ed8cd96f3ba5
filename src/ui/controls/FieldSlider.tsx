// A slider for one numeric setting, with its label and value always visible.
// Range and scale come from the config schema.

import { useId } from 'react';
import { CONFIG_FIELDS, type IntField, type RealField } from '../../core/config/fields';
import { formatSetting, nextPowerOfTwo, sliderScale } from './sliderScale';

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
  const shown = props.valueText ?? formatSetting(props.value);
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
        step={scale.step === 0 ? 'any' : scale.step}
        value={scale.toPosition(props.value)}
        aria-valuetext={shown}
        title={spec.help}
        onKeyDown={spec.scale === 'log2' ? (e) => {
          const direction = { ArrowRight: 1, ArrowUp: 1, PageUp: 1, ArrowLeft: -1, ArrowDown: -1, PageDown: -1 }[e.key] as 1 | -1 | undefined;
          if (!direction) return;
          e.preventDefault(); // a continuous thumb would move by a sliver
          const next = nextPowerOfTwo(props.value, direction, spec.min, spec.max);
          if (next !== props.value) props.onChange(next);
        } : undefined}
        onChange={(e) => {
          const value = scale.toValue(Number(e.target.value));
          if (value !== props.value) props.onChange(value);
        }}
      />
      {props.hint && <div className="field-hint">{props.hint}</div>}
    </div>
  );
}
