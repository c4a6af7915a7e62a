export { pytorchModule, type PytorchModuleSpec } from './pytorchModule.js';
