/**
 * The GetConnectors of the demo environment, as a profile would describe them plus hand-made rows:
 *
 * - metainfo.json holds each connector's `GET /metainfo/get/{id}` answer, in the shape of a snapshot's `get` part
 *   (src/emulator/profile/snapshot-shape.ts), in the order `GET /metainfo` offers them;
 * - one small module per subject maps each of those fields to its value (org-per.ts, address.ts, organisations.ts,
 *   persons.ts, employees.ts, projects.ts, leaves.ts, subjects.ts, setup.ts).
 *
 * Standard connectors (`Profit_OrgPer`, `Profit_Address`, `Profit_Projects`, `Profit_Leaves`, `Profit_LeaveBalance`,
 * `ProfitSubjects`, `Profit_Subject_Attachments`) carry the field ids and labels of AFAS's specification;
 * `Profit_Organisations`, `Profit_Persons` and `Profit_Employees` are built by the customer, with field ids modelled
 * on the standard ones.
 *
 * Metainfo details AFAS does not document were chosen as follows: `fieldId` is the Profit field code where the
 * column maps to one (`FiNm`, `SoSe`…) and a `U0nn` sequence (the field's position) otherwise, as in AFAS's metainfo
 * example; `controlType` is 5 for key and code-table fields and 1 for everything else (the two values AFAS's examples
 * show); decimals carry `length` 26 as Profit's currency fields do; a string without a documented length has 255.
 */
import type { SnapshotGetConnector } from '../../profile/snapshot-shape.js';
import type { GetConnectorDef } from '../types.js';
import { addressRows } from './address.js';
import { employeeRows } from './employees.js';
import { leaveBalanceRows, leaveRows } from './leaves.js';
import metainfo from './metainfo.json' with { type: 'json' };
import { orgPerRows } from './org-per.js';
import { organisationRows } from './organisations.js';
import { personRows } from './persons.js';
import { projectRows } from './projects.js';
import { bindRows, DemoDefinitionError, type RowMapping } from './rows.js';
import { accountRows, administrationRows, functionRows } from './setup.js';
import { attachmentRows, subjectRows } from './subjects.js';

/** The demo's GetConnector metainfo by connector id: a snapshot's `get` part. */
export const DEMO_GET_METAINFO: Readonly<Record<string, SnapshotGetConnector>> = metainfo;

/** The hand-made rows by connector id. */
const DEMO_ROWS: Readonly<Record<string, RowMapping>> = {
  Profit_OrgPer: orgPerRows,
  Profit_Address: addressRows,
  Profit_Organisations: organisationRows,
  Profit_Persons: personRows,
  Profit_Employees: employeeRows,
  Profit_Projects: projectRows,
  Profit_Leaves: leaveRows,
  Profit_LeaveBalance: leaveBalanceRows,
  ProfitSubjects: subjectRows,
  Profit_Subject_Attachments: attachmentRows,
  Profit_Administrations: administrationRows,
  Profit_Accounts: accountRows,
  Profit_Functions: functionRows,
};

/**
 * Every demo GetConnector, in metainfo.json's order. Throws DemoDefinitionError when the metainfo and the row
 * mappings do not name the same connectors and fields.
 */
export function createGetConnectors(
  metainfoById: Readonly<Record<string, SnapshotGetConnector>> = DEMO_GET_METAINFO,
  rowsById: Readonly<Record<string, RowMapping>> = DEMO_ROWS,
): GetConnectorDef[] {
  const orphans = Object.keys(rowsById).filter((id) => !(id in metainfoById));
  if (orphans.length > 0) throw new DemoDefinitionError(`row values without metainfo: ${orphans.join(', ')}`);
  return Object.entries(metainfoById).map(([id, meta]) => bindRows(id, meta, rowsById[id]));
}
