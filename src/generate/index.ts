/**
 * Model generation: a model folder (src/model/<name>) from an environment's metainfo. `planModel` decides names,
 * types, keys, relations and writers; `generateModel` writes the files. Both pure.
 */
export { type GenerateOptions, generateModel, MAPPING_FILE, mappingText } from './emit.js';
export { type ModelMapping, type ModelPlan, type ProfitSnapshot, planModel } from './plan.js';
