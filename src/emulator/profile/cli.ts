/**
 * `emulator --profile env.json [--scale N] [--seed N]`: the command-line options that make the emulator serve a
 * snapshot of the caller's own environment instead of the demo company.
 */
import type { CompanyOptions, CreateCompany } from '../company/types.js';
import { profileCompanyFactory } from './company.js';
import { readSnapshotFile, SnapshotError } from './snapshot-shape.js';

export interface EmulatorArgs {
  /** Absent: the demo company. */
  readonly createCompany?: CreateCompany;
  readonly company?: CompanyOptions;
}

const USAGE = 'usage: emulator [--profile <snapshot.json>] [--scale <1..1000>] [--seed <integer>]';

/** Parses `--profile`, `--scale` and `--seed` (also `--name=value`); throws SnapshotError on bad arguments. */
export function parseEmulatorArgs(argv: readonly string[]): { profile?: string; seed?: number; scale?: number } {
  const out: { profile?: string; seed?: number; scale?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new SnapshotError(`${name} needs a value; ${USAGE}`);
    switch (name) {
      case '--profile':
        out.profile = value;
        break;
      case '--seed':
        if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) {
          throw new SnapshotError(`--seed must be a whole number from 0 to 4294967295, got '${value}'`);
        }
        out.seed = Number(value);
        break;
      case '--scale':
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
          throw new SnapshotError(`--scale must be a whole number from 1 to 1000, got '${value}'`);
        }
        out.scale = Number(value);
        break;
      default:
        throw new SnapshotError(`unknown option '${name}'; ${USAGE}`);
    }
  }
  return out;
}

/** The emulator options for the arguments: the snapshot's company when `--profile` is given. */
export async function emulatorArgs(argv: readonly string[]): Promise<EmulatorArgs> {
  const { profile, seed, scale } = parseEmulatorArgs(argv);
  const company: CompanyOptions = {
    ...(seed === undefined ? {} : { seed }),
    ...(scale === undefined ? {} : { scale }),
  };
  if (profile === undefined) return { company };
  return { createCompany: profileCompanyFactory(await readSnapshotFile(profile)), company };
}
