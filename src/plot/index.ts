// Standalone SVG plots: pure functions returning an SVG string (no DOM), for the CLI and the web.
export { binaryHullSvg, ternaryHullSvg } from './hull-diagram.js';
export type { HullPlotOptions } from './hull-parts.js';
export { tieLines } from './tie-lines.js';
export { voltageStaircaseSvg, type VoltageProfile, type StaircaseOptions } from './staircase.js';
export { reactionCurveSvg, type ReactionCurve, type ReactionCurveOptions } from './reaction-curve.js';
export { rankingSvg, type RankingRow, type RankingOptions } from './ranking.js';
export { PlotError, type PlotOptions, type Theme } from './options.js';
export { escapeXml } from './markup.js';
export { niceTicks, formatNumber, type NiceTicks } from './scales.js';
export { redoxSvg, type RedoxPlotData, type RedoxPlotOptions } from './redox.js';
export { chempotMapSvg, type ChempotMapPlotData } from './chempot-map.js';
export type { Band } from './band.js';
