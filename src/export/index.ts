export { pytorchModule, type PytorchModuleSpec } from './pytorchModule.js';
export { pythonFraction, pythonString, docstringText, checkedName, checkedMethod, checkedNumber, checkedVersion } from './pythonText.js';
