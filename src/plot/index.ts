// Standalone SVG plots: pure functions returning an SVG string (no DOM), for the CLI and the web.
export { binaryHullSvg, ternaryHullSvg, tieLines, type HullPlotOptions } from './hull-diagram.js';
export { voltageStaircaseSvg, type VoltageProfile, type StaircaseOptions } from './staircase.js';
export { reactionCurveSvg, type ReactionCurve, type ReactionCurveOptions } from './reaction-curve.js';
export { rankingSvg, type RankingRow, type RankingOptions } from './ranking.js';
export { PlotError, escapeXml, niceTicks, formatNumber, type PlotOptions, type Theme, type NiceTicks } from './svg.js';
