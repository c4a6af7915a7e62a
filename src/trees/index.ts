export { countRootedTrees, rootedTreeCounts } from './count.js';
export { TreeStore, defaultTreeStore, compareTrees, type RootedTree, type TreeStoreOptions } from './store.js';
export { compareLevelSequences, isLevelSequence, levelSequenceProblem, rootSubtrees } from './levelSequence.js';
export { treeOfLevelSequence, bracket } from './canonical.js';
export { graftEverywhere, graftAtRoot } from './graft.js';
export { EdgeCuts, type EdgeCut, type CutTriples } from './edgeCuts.js';
export { recolour, colourOrbits } from './colourOrbits.js';
