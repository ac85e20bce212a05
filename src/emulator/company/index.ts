/**
 * The demo company behind the Profit emulator: a deterministic data set (seeded, scalable), AFAS-style
 * GetConnectors and UpdateConnectors over it, files, reports and app connectors with demo users.
 *
 *   const company = createCompany({ seed: 20261124, scale: 1 });
 */
import { createAppConnectors } from './app-connectors.js';
import { generateCompany } from './generate.js';
import { createGetConnectors } from './get/index.js';
import { createReports } from './reports.js';
import { DemoStore } from './store.js';
import type { Company, CompanyOptions, CreateCompany } from './types.js';
import { hrAbsence, hrAbsenceId } from './update/absence.js';
import { knAppointment } from './update/appointment.js';
import { knEmployee } from './update/employee.js';
import { fiEntries } from './update/entries.js';
import { hrMobility } from './update/mobility.js';
import { ptProject } from './update/project.js';
import { knOrganisation, knPerson } from './update/relations.js';
import { knSubject } from './update/subject.js';
import { knUser } from './update/user.js';

/** @default 20261124 */
export const DEFAULT_SEED = 20261124;

/** The environment id (as in `/metainfo` `info.envid`) and its number, used in user ids. */
export const ENVIRONMENT_ID = 'O12345AA';
const ENVIRONMENT_NUMBER = '12345';

/** unconfirmed: AFAS documents only the shape `{"version":"22.22.5"}`; this is a plausible Profit 7 build. */
export const PROFIT_VERSION = '7.1.2.114';

export const createCompany: CreateCompany = (options: CompanyOptions = {}): Company => {
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = Math.max(1, Math.round(options.scale ?? 1));
  const generated = generateCompany(seed, scale);
  const store = new DemoStore(generated.data, generated.files, generated.images);
  const getConnectors = createGetConnectors();
  const updateConnectors = [
    knPerson,
    knOrganisation,
    knEmployee,
    knSubject,
    hrAbsenceId,
    hrAbsence,
    ptProject,
    knUser,
    knAppointment,
    hrMobility,
    fiEntries,
  ];
  const reports = createReports();
  return {
    envId: ENVIRONMENT_ID,
    profitVersion: PROFIT_VERSION,
    store,
    getConnectors: new Map(getConnectors.map((c) => [c.id, c])),
    updateConnectors: new Map(updateConnectors.map((c) => [c.id, c])),
    reports: new Map(reports.map((r) => [r.id, r])),
    appConnectors: createAppConnectors(seed, ENVIRONMENT_NUMBER, getConnectors, updateConnectors),
  };
};

export type { DemoStore } from './store.js';
