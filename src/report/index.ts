export { simulationTable, simulationCsv, simulationJson, validationJson, validationText } from './simulationTables.js';
