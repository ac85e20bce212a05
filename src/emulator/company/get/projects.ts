/**
 * `Profit_Projects` (standard connector).
 */
import { defineRows } from './rows.js';

export const projectRows = defineRows((s) => s.data.projects, {
  ProjectId: (p) => p.projectId,
  Description: (p) => p.description,
  UnitId: (p) => p.unitId,
  ProjectGroup: (p) => p.projectGroup,
  CheckedOut: (p) => p.completed,
  BcCo: (p) => p.bcCo,
  DebtorId: (p) => p.debtorId,
  DateStart: (p) => p.dateStart,
  DateReady: (p) => p.dateReady,
  Chargeable: (p) => p.chargeable,
  CreateDate: (p) => p.createDate,
  ModifiedDate: (p) => p.modifiedDate,
});
