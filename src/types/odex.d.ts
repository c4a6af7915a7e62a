/** Type declarations for odex 2 (Hairer's ODEX, Gragg–Bulirsch–Stoer extrapolation), which ships none (tsconfig maps "odex" here). */
export type Derivative = (x: number, y: number[]) => number[];
export type OutputFunction = (nr: number, xold: number, x: number, y: number[], dense?: (c: number, x: number) => number) => boolean | void;
export interface SolveResult {
  y: number[];
  /** 0 converged, 1 step limit exceeded, 2 early return. */
  outcome: number;
  nStep: number;
  xEnd: number;
  nAccept: number;
  nReject: number;
  nEval: number;
}
export declare class Solver {
  constructor(n: number);
  n: number;
  maxSteps: number;
  initialStepSize: number;
  maxStepSize: number;
  denseOutput: boolean;
  relativeTolerance: number | number[];
  absoluteTolerance: number | number[];
  solve(f: Derivative, x: number, y0: number[], xEnd: number, solOut?: OutputFunction): SolveResult;
}
