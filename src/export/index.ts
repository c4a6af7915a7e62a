export { pytorchModule, type PytorchModuleSpec } from './pytorchModule.js';
export { sgdPytorchModule, MAX_SGD_EXPORT_ORDER, SGD_EXPORT_MAX_BATCHES, type SgdPytorchModuleSpec } from './sgdModule.js';
