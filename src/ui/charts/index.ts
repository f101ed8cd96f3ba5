// The lab's charts: presentational components (props in, no store, no tfjs).

export { SpectrumChart } from './SpectrumChart';
export { RankChart } from './RankChart';
export { TrainingChart } from './TrainingChart';
