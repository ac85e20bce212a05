/**
 * The Profit emulator: a faithful stand-in for AFAS Profit's REST and SOAP APIs, for tests and for `npm start` without a
 * Profit environment.
 */
export { afasTokenHeader } from './auth.js';
export { type EmulatorCliOptions, EmulatorSettingError, runEmulatorCli } from './cli.js';
export { type FaultConfig, FaultController, type FaultKind, type OneShotFault } from './faults.js';
export { type LogEntry, RequestLog } from './log.js';
export {
  createProfileCompany,
  emulatorArgs,
  type ProfitSnapshot,
  parseSnapshot,
  profileCompanyFactory,
  readSnapshotFile,
  SnapshotError,
} from './profile/index.js';
export {
  type Clock,
  createEmulatorHandler,
  credentials,
  type Emulator,
  type EmulatorHandler,
  type EmulatorHandlerOptions,
  type EmulatorOptions,
  startEmulator,
} from './server.js';
export {
  generateUpdateXsd,
  ROW_ACTION_TYPE,
  type UpdateXsdOptions,
  type XsdField,
  type XsdObject,
} from './soap/xsd.js';
