/**
 * Emulating a caller's own environment from a snapshot of its metainfo: `createProfileCompany(snapshot, {seed,
 * scale})` is a `CreateCompany`-compatible company for `startEmulator`, and `emulator --profile env.json` its CLI.
 */
export { emulatorArgs, parseEmulatorArgs } from './cli.js';
export {
  createProfileCompany,
  DEFAULT_PROFILE_SEED,
  ProfileStore,
  profileCompanyFactory,
  type UnappliedWrite,
} from './company.js';
export { type ColumnSource, type ConnectorModel, inferModel, type ProfileModel } from './infer.js';
export {
  type ProfitSnapshot,
  parseSnapshot,
  readSnapshotFile,
  SnapshotError,
  type SnapshotGetConnector,
  type SnapshotMetainfo,
  type SnapshotUpdateConnector,
} from './snapshot-shape.js';
export { ROWS_PER_SCALE } from './synthesize.js';
