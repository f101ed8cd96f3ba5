// The lab's charts: presentational components (props in, no store, no tfjs).

export { SpectrumChart } from './SpectrumChart';
export type { SpectrumChartProps } from './SpectrumChart';
export { RankChart } from './RankChart';
export type { RankChartProps } from './RankChart';
export { TrainingChart } from './TrainingChart';
export type { TrainingChartProps } from './TrainingChart';
export { ChartFrame } from './ChartFrame';
export type { ChartFrameProps } from './ChartFrame';
export { LAYER_COLOURS, MEAN_COLOUR, REFERENCE_COLOUR, LOSS_COLOUR, ACCURACY_COLOUR, layerColour, layerDash } from './palette';
export { DEFAULT_CHART_HEIGHT } from './format';
export type { ComparisonSeries } from './comparison';
