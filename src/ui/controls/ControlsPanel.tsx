// Every setting of the run. The three sliders that matter most come first; they
// change the running training on its next step. The network, data and seed below
// them define the run: changing one restarts it (and the page says so).

import { decayPerStep } from '../../core/theory';
import { ACTIVATIONS, CNN_LIMITS, CONFIG_FIELDS, DATASETS, MODELS } from '../../core/config/fields';
import { applyConfig, chooseBackend } from '../../state/controller';
import { useLab } from '../../state/store';
import { BACKEND_CHOICES } from '../../worker/protocol';
import { FieldSelect } from './FieldSelect';
import { FieldSlider } from './FieldSlider';
import { NumberField } from './NumberField';

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const powersOfTwo = (lo: number, hi: number) => range(Math.log2(lo), Math.log2(hi)).map((k) => 2 ** k);

export function ControlsPanel() {
  const config = useLab((s) => s.config);
  const backendChoice = useLab((s) => s.backendChoice);
  const rho = decayPerStep(config);
  const cnn = config.model === 'cnn';
  return (
    <section className="panel controls" aria-label="Settings">
      <h2>Hyperparameters <span className="muted">(live)</span></h2>
      <FieldSlider field="batchSize" value={config.batchSize} onChange={(batchSize) => applyConfig({ batchSize })} />
      <FieldSlider field="learningRate" value={config.learningRate} onChange={(learningRate) => applyConfig({ learningRate })} />
      <FieldSlider
        field="weightDecay"
        value={config.weightDecay}
        valueText={config.weightDecay === 0 ? '0 (off)' : undefined}
        onChange={(weightDecay) => applyConfig({ weightDecay })}
        hint={`rho = 1 - 2*mu*lambda = ${rho.toPrecision(4)} per step; PyTorch weight_decay = ${Number((2 * config.weightDecay).toPrecision(3))}`}
      />
      <button type="button" className="small" onClick={() => applyConfig({ weightDecay: 0 })} disabled={config.weightDecay === 0}>
        Weight decay off
      </button>
      <FieldSlider field="eps" value={config.eps} onChange={(eps) => applyConfig({ eps })} />

      <h2>Network and data <span className="muted">(restart)</span></h2>
      <div className="grid2">
        <FieldSelect label="Model" value={config.model} options={MODELS} format={(m) => m.toUpperCase()} onChange={(model) => applyConfig({ model })} help={CONFIG_FIELDS.model.help} />
        <FieldSelect label="Dataset" value={config.dataset} options={DATASETS} format={(d) => (d === 'mnist' ? 'MNIST' : 'Teacher')} onChange={(dataset) => applyConfig({ dataset })} help={CONFIG_FIELDS.dataset.help} />
        <FieldSelect label="Depth" value={config.depth} options={cnn ? range(CNN_LIMITS.minDepth, CNN_LIMITS.maxDepth) : range(CONFIG_FIELDS.depth.min, CONFIG_FIELDS.depth.max)} onChange={(depth) => applyConfig({ depth })} help={CONFIG_FIELDS.depth.help} />
        <FieldSelect label="Width" value={config.width} options={powersOfTwo(CONFIG_FIELDS.width.min, cnn ? CNN_LIMITS.maxWidth : CONFIG_FIELDS.width.max)} onChange={(width) => applyConfig({ width })} help={CONFIG_FIELDS.width.help} />
        <FieldSelect label="Activation" value={config.activation} options={ACTIVATIONS} onChange={(activation) => applyConfig({ activation })} help={CONFIG_FIELDS.activation.help} />
        <NumberField label="Seed" value={config.seed} min={CONFIG_FIELDS.seed.min} max={CONFIG_FIELDS.seed.max} onCommit={(seed) => applyConfig({ seed })} help={CONFIG_FIELDS.seed.help} />
        <div className="field field-inline">
          <label>
            <input type="checkbox" checked={config.batchNorm} onChange={(e) => applyConfig({ batchNorm: e.target.checked })} /> BatchNorm
          </label>
        </div>
        <NumberField label="Steps" value={config.steps} min={CONFIG_FIELDS.steps.min} max={CONFIG_FIELDS.steps.max} onCommit={(steps) => applyConfig({ steps })} help={CONFIG_FIELDS.steps.help} />
      </div>
      <FieldSelect label="Backend" value={backendChoice} options={BACKEND_CHOICES} onChange={chooseBackend} help="auto: WebGPU on a hardware GPU, otherwise simd (RankLab's WebAssembly SIMD engine); wasm, webgl, cpu: tfjs backends" />
    </section>
  );
}
