/**
 * HrAbsenceID and HrAbsence: leave bookings (verlofboekingen).
 *
 * HrAbsenceID addresses a booking by its line number `Id` (and employee): PUT needs only `Id` plus the changed
 * fields, DELETE takes `@Id,@EmId`. HrAbsence has no line number in its body; AFAS does not document how its PUT
 * finds the booking, so the demo company takes the employee's booking that starts on the same day as `DaBe`.
 *
 * Hours (`DuRa`) not sent are derived: full days count 8 hours per weekday; partial leave (`LeDt`) counts the
 * minutes in `DuBe`/`DuEn`, or else the time between start and end.
 */
import { dayNumber, weekday } from '../calendar.js';
import type { LeaveRecord } from '../data.js';
import { LEAVE_REASONS, LEAVE_TYPES } from '../names.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement, UpdateFieldDef } from '../types.js';
import { afasCodes } from './afas-codes.js';
import { assign, bool, datetime, field, integer, lastResult, reject, text } from './common.js';

const leaveTypes = new Set(LEAVE_TYPES.map((t) => t.code));

function leaveFields(withId: boolean): UpdateFieldDef[] {
  return [
    ...(withId ? [field('Id', 'int', 'Regelnummer', { key: true })] : []),
    field('EmId', 'string', 'Medewerker', { length: 15, key: withId, mandatory: true }),
    field('ViAt', 'string', 'Type verlof', { length: 20, mandatory: true }),
    field('DaBe', 'date', 'Begindatum/tijd', { mandatory: true }),
    field('DaEn', 'date', 'Einddatum/tijd', { mandatory: true }),
    field('ViLr', 'string', 'Reden verlof', {
      length: 20,
      values: LEAVE_REASONS.map((r) => [r.id, r.description] as const),
    }),
    field('EnSe', 'int', 'Dienstverband'),
    field('DuRa', 'int', 'Aantal uren'),
    field('EmRp', 'string', 'Vervanger', { length: 15 }),
    field('Re', 'string', 'Opmerking', { length: 0 }),
    field('LeDt', 'boolean', 'Gedeeltelijk verlof'),
    field('PaTs', 'int', 'Pauzeduur begindatum'),
    field('PaTe', 'int', 'Pauzeduur einddatum'),
    field('DuBe', 'int', 'Verlofuren begindatum'),
    field('DuEn', 'int', 'Verlofuren einddatum'),
    field('ReLe', 'string', "Reden verlof 'VF'", {
      length: 20,
      values: afasCodes('HrAbsenceID', 'HrAbsenceID', 'ReLe'),
    }),
  ];
}

function hoursOf(leave: LeaveRecord): number {
  if (leave.partial) {
    if (leave.minutesStart !== null || leave.minutesEnd !== null) {
      const sameDay = leave.start.slice(0, 10) === leave.end.slice(0, 10);
      return Math.round(((leave.minutesStart ?? 0) + (sameDay ? 0 : (leave.minutesEnd ?? 0))) / 60);
    }
    const seconds = (iso: string) =>
      dayNumber(iso) * 86400 + Number(iso.slice(11, 13)) * 3600 + Number(iso.slice(14, 16)) * 60;
    return Math.max(0, Math.round((seconds(leave.end) - seconds(leave.start)) / 3600));
  }
  let days = 0;
  for (let d = dayNumber(leave.start); d <= dayNumber(leave.end); d++) if (weekday(d) <= 5) days++;
  return days * 8;
}

/** Content rules shared by both connectors; `leave` is the booking being changed (undefined on insert). */
function checkLeave(store: DemoStore, element: UpdateElement, leave: LeaveRecord | undefined): void {
  const employeeId = text(element, 'EmId');
  if (employeeId && !store.index.employees.has(employeeId.toUpperCase()))
    reject({ nl: `Medewerker '${employeeId}' bestaat niet.`, en: `Employee '${employeeId}' does not exist.` });
  if (!leave) {
    if (!employeeId)
      reject({ nl: "Het veld 'Medewerker' (EmId) is verplicht.", en: "The field 'Medewerker' (EmId) is mandatory." });
    if (!text(element, 'ViAt'))
      reject({ nl: "Het veld 'Type verlof' (ViAt) is verplicht.", en: "The field 'Type verlof' (ViAt) is mandatory." });
    if (!text(element, 'DaBe') || !text(element, 'DaEn'))
      reject({
        nl: 'Begin- en einddatum van het verlof zijn verplicht.',
        en: 'The start and end date of the leave are mandatory.',
      });
  }
  const type = text(element, 'ViAt');
  if (type && !leaveTypes.has(type.toUpperCase()))
    reject({ nl: `Type verlof '${type}' bestaat niet.`, en: `Leave type '${type}' does not exist.` });
  const employment = integer(element, 'EnSe', 'Dienstverband');
  if (employment != null && employment !== 1)
    reject({
      nl: `Dienstverband ${employment} bestaat niet voor deze medewerker.`,
      en: `Employment ${employment} does not exist for this employee.`,
    });
  const substitute = text(element, 'EmRp');
  if (substitute && !store.index.employees.has(substitute.toUpperCase()))
    reject({ nl: `Vervanger '${substitute}' bestaat niet.`, en: `Substitute '${substitute}' does not exist.` });
  const start = datetime(element, 'DaBe', 'Begindatum/tijd') ?? leave?.start;
  const end = datetime(element, 'DaEn', 'Einddatum/tijd') ?? leave?.end;
  if (start && end && end < start)
    reject({
      nl: 'De einddatum van het verlof ligt voor de begindatum.',
      en: 'The end date of the leave is before its start date.',
    });
  for (const id of ['DuRa', 'DuBe', 'DuEn']) {
    const value = integer(element, id);
    if (value != null && value < 0)
      reject({ nl: `Veld '${id}' mag niet negatief zijn.`, en: `Field '${id}' may not be negative.` });
  }
}

function writeLeave(store: DemoStore, element: UpdateElement, existing: LeaveRecord | undefined): LeaveRecord {
  const now = store.now();
  let leave = existing;
  if (!leave) {
    const employee = store.index.employees.get((text(element, 'EmId') ?? '').toUpperCase());
    leave = {
      id: integer(element, 'Id') ?? store.data.next.leaveId++,
      employeeId: employee?.employeeId ?? text(element, 'EmId') ?? '',
      employment: 1,
      leaveType: 'V',
      reason: null,
      start: now,
      end: now,
      hours: 0,
      partial: false,
      minutesStart: null,
      minutesEnd: null,
      remark: null,
      substituteId: null,
      modifiedDate: now,
    };
    if (leave.id >= store.data.next.leaveId) store.data.next.leaveId = leave.id + 1;
    store.data.leaves.push(leave);
  }
  const l = leave;
  const type = text(element, 'ViAt');
  if (type) l.leaveType = type.toUpperCase();
  assign(l, 'reason', text(element, 'ViLr'));
  const start = datetime(element, 'DaBe');
  if (start) l.start = start;
  const end = datetime(element, 'DaEn');
  if (end) l.end = end;
  assign(l, 'partial', bool(element, 'LeDt'));
  if (!l.partial) {
    // "The time portion is ignored if LeDt = False" (endpoint-hrabsenceid-put.md).
    l.start = `${l.start.slice(0, 10)}T00:00:00`;
    l.end = `${l.end.slice(0, 10)}T00:00:00`;
  }
  assign(l, 'minutesStart', integer(element, 'DuBe'));
  assign(l, 'minutesEnd', integer(element, 'DuEn'));
  assign(l, 'remark', text(element, 'Re'));
  assign(l, 'substituteId', text(element, 'EmRp'));
  const hours = integer(element, 'DuRa');
  l.hours = hours ?? hoursOf(l);
  l.modifiedDate = now;
  store.changed();
  return l;
}

function leaveById(store: DemoStore, element: UpdateElement): LeaveRecord | undefined {
  const id = integer(element, 'Id', 'Regelnummer');
  return id == null ? undefined : store.data.leaves.find((l) => l.id === id);
}

export const hrAbsenceId: UpdateConnectorDef = {
  id: 'HrAbsenceID',
  description: 'Verlofboeking (regelnummer)',
  name: 'HrAbsenceID',
  fields: leaveFields(true),
  objects: [],
  methods: ['POST', 'PUT', 'DELETE'],
  check(method, elements, store) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const leave = leaveById(demo, element);
      if (method === 'PUT') {
        if (integer(element, 'Id') == null)
          reject({ nl: "Het veld 'Regelnummer' (Id) is verplicht.", en: "The field 'Regelnummer' (Id) is mandatory." });
        if (!leave)
          reject({
            nl: `Verlofboeking ${integer(element, 'Id')} bestaat niet.`,
            en: `Leave ${integer(element, 'Id')} does not exist.`,
          });
        const employeeId = text(element, 'EmId');
        if (employeeId && employeeId.toUpperCase() !== leave.employeeId.toUpperCase()) {
          reject({
            nl: `Verlofboeking ${leave.id} hoort niet bij medewerker '${employeeId}'.`,
            en: `Leave ${leave.id} does not belong to employee '${employeeId}'.`,
          });
        }
      } else if (leave)
        reject({ nl: `Verlofboeking ${leave.id} bestaat al.`, en: `Leave ${leave.id} already exists.` });
      checkLeave(demo, element, method === 'PUT' ? leave : undefined);
    }
  },
  apply(method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const leave = writeLeave(demo, element, method === 'PUT' ? leaveById(demo, element) : undefined);
        return { Id: String(leave.id), EmId: leave.employeeId };
      }),
    );
  },
  remove(object, keys, store) {
    const demo = store as DemoStore;
    if (object !== 'HrAbsenceID')
      reject({
        nl: `Verwijderen van '${object}' wordt niet ondersteund.`,
        en: `Deleting '${object}' is not supported.`,
      });
    const index = demo.data.leaves.findIndex(
      (l) =>
        String(l.id) === keys.Id && (keys.EmId === undefined || l.employeeId.toUpperCase() === keys.EmId.toUpperCase()),
    );
    if (index < 0)
      reject({
        nl: `Verlofboeking ${keys.Id ?? ''} van medewerker '${keys.EmId ?? ''}' bestaat niet.`,
        en: `Leave ${keys.Id ?? ''} of employee '${keys.EmId ?? ''}' does not exist.`,
      });
    demo.data.leaves.splice(index, 1);
    demo.changed();
  },
};

/** HrAbsence PUT: the employee's booking starting on the same day. */
function leaveByStart(store: DemoStore, element: UpdateElement): LeaveRecord | undefined {
  const employeeId = text(element, 'EmId')?.toUpperCase();
  const start = datetime(element, 'DaBe')?.slice(0, 10);
  return store.data.leaves.find((l) => l.employeeId.toUpperCase() === employeeId && l.start.slice(0, 10) === start);
}

export const hrAbsence: UpdateConnectorDef = {
  id: 'HrAbsence',
  description: 'Verlofboeking',
  name: 'HrAbsence',
  fields: leaveFields(false),
  objects: [],
  methods: ['POST', 'PUT'],
  check(method, elements, store) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const leave = method === 'PUT' ? leaveByStart(demo, element) : undefined;
      if (method === 'PUT' && !leave) {
        reject({
          nl: `Geen verlofboeking van medewerker '${text(element, 'EmId') ?? ''}' die begint op ${text(element, 'DaBe') ?? ''}.`,
          en: `No leave of employee '${text(element, 'EmId') ?? ''}' starts on ${text(element, 'DaBe') ?? ''}.`,
        });
      }
      checkLeave(demo, element, leave);
    }
  },
  apply(method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const leave = writeLeave(demo, element, method === 'PUT' ? leaveByStart(demo, element) : undefined);
        return { Id: String(leave.id) };
      }),
    );
  },
};
