export { linePlot, linePath, markerPath, type PlotSeries, type PlotSpec } from './linePlot.js';
export { makeAxis, logTicks, type Axis, type AxisKind, type Tick } from './axis.js';
export { usablePoints, type Point, type AxisKinds } from './points.js';
export { escapeXml, coord, powerOfTen } from './svgText.js';
export { seriesStyle, COLORS, DASHES } from './palette.js';
