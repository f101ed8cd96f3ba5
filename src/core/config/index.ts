export * from './fields';
export * from './parse';
export * from './query';
export * from './presets';
