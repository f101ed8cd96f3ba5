// torch.optim.SGD's momentum buffers as plain arrays, so a stored run resumes with the velocity
// it had (the hand-derived step and the tape's optimiser both keep them as tf variables).

import * as tf from '../../tf';

/** The buffers' values (one per parameter), or null when none exists yet (no step with momentum). */
export async function readBuffers(buffers: readonly (tf.Variable | null)[]): Promise<Float32Array[] | null> {
  if (buffers.every((b) => b === null)) return null;
  if (buffers.some((b) => b === null)) throw new Error('some momentum buffers are missing');
  return Promise.all(buffers.map(async (b) => Float32Array.from(await b!.data())));
}

/** Fresh buffers holding `values` in the parameters' shapes (null: none), after disposing `old`. */
export function buffersFrom(old: readonly (tf.Variable | null)[], values: Float32Array[] | null, params: readonly tf.Variable[]): (tf.Variable | null)[] {
  if (values && (values.length !== params.length || values.some((v, i) => v.length !== params[i].size))) {
    throw new Error('the momentum buffers do not fit this network');
  }
  for (const b of old) b?.dispose();
  return params.map((p, i) => {
    if (!values) return null;
    const initial = tf.tensor(values[i], p.shape);
    const buffer = tf.variable(initial, false);
    initial.dispose(); // the variable holds its own copy
    return buffer;
  });
}
