/**
 * `Profit_Leaves` and `Profit_LeaveBalance` (standard connectors): leave bookings, and balances per employee,
 * leave type and year.
 */

import { LEAVE_REASONS, LEAVE_TYPES } from '../names.js';
import type { DemoStore } from '../store.js';
import { defineRows } from './rows.js';
import { fullName } from './shared.js';

const leaveTypeName = new Map(LEAVE_TYPES.map((t) => [t.code, t.description]));
const leaveReasonName = new Map(LEAVE_REASONS.map((r) => [r.id, r.description]));

const personOf = (store: DemoStore, employeeId: string) =>
  store.index.persons.get(store.index.employees.get(employeeId.toUpperCase())?.personBcCo ?? '');

export const leaveRows = defineRows((s) => s.data.leaves, {
  LeaveId: (l) => l.id,
  EmployeeId: (l) => l.employeeId,
  Name: (l, s) => {
    const person = personOf(s, l.employeeId);
    return person ? fullName(person) : null;
  },
  BSN: (l, s) => personOf(s, l.employeeId)?.bsn ?? null,
  Export: () => false,
  Hours: (l) => l.hours,
  StartDate: (l) => l.start,
  EndDate: (l) => l.end,
  DvId: (l) => l.employment,
  ModifiedDate: (l) => l.modifiedDate,
  LeaveCode: (l) => l.leaveType,
  LeaveDescr: (l) => leaveTypeName.get(l.leaveType) ?? null,
  ReasonCode: (l) => l.reason,
  ReasonDescr: (l) => (l.reason === null ? null : (leaveReasonName.get(l.reason) ?? null)),
});

interface LeaveBalanceRecord {
  readonly employeeId: string;
  readonly employerId: string | null;
  readonly leaveType: string;
  readonly year: number;
  readonly entitlement: number;
  readonly extraEntitlement: number;
  readonly startBalance: number;
  readonly taken: number;
}

/** Balances per employee, leave type and year: entitlements minus the hours booked in that year. */
function leaveBalanceRecords(store: DemoStore): LeaveBalanceRecord[] {
  const taken = new Map<string, number>();
  for (const leave of store.data.leaves) {
    const key = `${leave.employeeId.toUpperCase()}|${leave.leaveType}|${leave.start.slice(0, 4)}`;
    taken.set(key, (taken.get(key) ?? 0) + leave.hours);
  }
  return store.data.entitlements.map((e) => ({
    employeeId: e.employeeId,
    employerId: store.index.employees.get(e.employeeId.toUpperCase())?.employerId ?? null,
    leaveType: e.leaveType,
    year: e.year,
    entitlement: e.entitlement,
    extraEntitlement: e.extraEntitlement,
    startBalance: e.startBalance,
    taken: taken.get(`${e.employeeId.toUpperCase()}|${e.leaveType}|${e.year}`) ?? 0,
  }));
}

export const leaveBalanceRows = defineRows(leaveBalanceRecords, {
  EmployeeId: (b) => b.employeeId,
  EmployerId: (b) => b.employerId,
  DvId: () => 1,
  Leavetype: (b) => b.leaveType,
  Year: (b) => b.year,
  Period: () => 12,
  Entitlement: (b) => b.entitlement,
  ExtraEntitlement: (b) => b.extraEntitlement,
  StartBalance: (b) => b.startBalance,
  Taken: (b) => b.taken,
  Balance: (b) => b.startBalance + b.entitlement + b.extraEntitlement - b.taken,
});
