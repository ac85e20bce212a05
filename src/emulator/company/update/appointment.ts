/**
 * KnAppointment: agenda appointments with their invitees (KnAppointmentLines), fields as in the OAS schemas
 * `KnAppointment_POST`/`KnAppointment_PUT`. POST adds an appointment under the next number (the `results` carry
 * it as `ApId`); PUT changes one by `ApId` (sent in `Fields` in AFAS's examples, or as `@ApId`); a POST to
 * `/connectors/KnAppointment/KnAppointmentLines` adds invitees to an existing one; DELETE
 * `/connectors/KnAppointment/KnAppointment/@ApId/{ApId}` removes it.
 *
 * The OAS marks `IsRe` and the weekday flags as required on POST, yet its own examples omit them: the emulator
 * follows the examples (see common.ts on `mandatory`). A new appointment needs a subject, a start and an end (every
 * POST example in oas/organisaties-en-personen.json sends `Sbj`, `DaFr` and `DaTi`): the metainfo marks exactly
 * those mandatory, and the generic validation enforces them (on an insert, and against clearing them on a PUT), so
 * what `metainfo/update/KnAppointment` says is what the emulator requires. The end may not be before the start;
 * invitees name existing users, and a dossier item (`SbId`) must exist.
 */

import type { AppointmentLineRecord, AppointmentRecord } from '../data.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import { afasCodes } from './afas-codes.js';
import { assign, bool, children, codes, datetime, field, integer, lastResult, object, reject, text } from './common.js';

/**
 * A custom field on appointments: the GUID-like id of the OAS "change location" PUT example.
 * unconfirmed: its label and length; the example sends "01".
 */
export const APPOINTMENT_CUSTOM_FIELD = 'UADA618CE4DDE1FFE11BCDEAB20A3A35A';

const TECHNICAL_TYPES = afasCodes('KnAppointment', 'KnAppointment', 'ApIt');

const linesObject = object('KnAppointmentLines', [
  field('PaId', 'int', 'Genodigde', { mandatory: true }),
  field('UsId', 'string', 'Gebruiker', { length: 80 }),
  field('CdId', 'int', 'Contactpersoon'),
  field('PeTy', 'string', 'Soort genodigde', { length: 1 }),
  field('IsOw', 'boolean', 'Eigenaar'),
  field('Pres', 'string', 'Aanwezigheid', {
    length: 20,
    values: codes('V = Vereist;O = Optioneel;A = Inplanner (zelf afwezig);'),
  }),
  field('FoSn', 'int', 'Prognose-ID'),
]);

const WEEKDAYS = [
  ['Mon', 'Maandag'],
  ['Tue', 'Dinsdag'],
  ['Wed', 'Woensdag'],
  ['Thu', 'Donderdag'],
  ['Fri', 'Vrijdag'],
  ['Sat', 'Zaterdag'],
  ['Sun', 'Zondag'],
] as const;

function appointmentOf(store: DemoStore, element: UpdateElement): AppointmentRecord | undefined {
  const id = integer(element, 'ApId', 'Afspraak');
  return id == null ? undefined : store.index.appointments.get(id);
}

/**
 * Whether an element changes an existing appointment: on PUT, on a POST to the sub-object URL, and on a POST that
 * names an existing `ApId` (the HTTP layer calls `check` without the sub-object, so a sub-object call is recognised
 * by its shape, as KnSubject does).
 */
function targetsExisting(method: string, exists: boolean, subObject: string | undefined): boolean {
  return method === 'PUT' || subObject !== undefined || exists;
}

function toLine(element: UpdateElement): AppointmentLineRecord {
  return {
    inviteeId: integer(element, 'PaId', 'Genodigde') ?? 1,
    userId: text(element, 'UsId') ?? null,
    contactId: integer(element, 'CdId', 'Contactpersoon') ?? null,
    owner: bool(element, 'IsOw') ?? false,
    presence: text(element, 'Pres') ?? null,
  };
}

export const knAppointment: UpdateConnectorDef = {
  id: 'KnAppointment',
  description: 'Afspraak',
  name: 'KnAppointment',
  methods: ['POST', 'PUT', 'DELETE'],
  fields: [
    field('ApId', 'int', 'Afspraak', { key: true }),
    field('Sbj', 'string', 'Onderwerp', { length: 100, mandatory: true }),
    // A blob (format byte) in the OAS, yet AFAS's own examples send plain text: taken as text of any length.
    field('Body', 'string', 'Inhoud', { length: 0 }),
    field('DaFr', 'date', 'Van', { mandatory: true }),
    field('DaTi', 'date', 'Tot', { mandatory: true }),
    field('ApTy', 'int', 'Type afspraak'),
    field('LoId', 'string', 'Locatie', { length: 25 }),
    field('LoTx', 'string', 'Afwijkende locatie', { length: 255 }),
    field('ApIt', 'string', 'Technisch type afspraak', { length: 20, values: TECHNICAL_TYPES }),
    field('ApPe', 'boolean', 'Persoonlijk'),
    field('SbId', 'int', 'Dossieritem'),
    field('StEm', 'boolean', 'E-mailnotificatie naar interne genodigden'),
    field('Link', 'string', 'Link', { length: 255 }),
    field('IsRe', 'boolean', 'Repeterende afspraak'),
    field('ReTi', 'date', 'Einddatum reeks'),
    field('ReIn', 'int', 'Terugkeerpatroon interval'),
    ...WEEKDAYS.map(([id, label]) => field(id, 'boolean', label)),
    field(APPOINTMENT_CUSTOM_FIELD, 'string', 'Soort overleg', { length: 2 }),
  ],
  objects: [linesObject],
  check(method, elements, store, subObject?: string) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const existing = appointmentOf(demo, element);
      // A new appointment's subject, start and end are mandatory in the metainfo: checked before `check` runs.
      if (targetsExisting(method, existing !== undefined, subObject)) {
        const id = integer(element, 'ApId', 'Afspraak');
        if (id == null)
          reject({ nl: "Het veld 'Afspraak' (ApId) is verplicht.", en: "The field 'Afspraak' (ApId) is mandatory." });
        if (!existing) reject({ nl: `Afspraak ${id} bestaat niet.`, en: `Appointment ${id} does not exist.` });
      }
      const from = datetime(element, 'DaFr', 'Van') ?? existing?.from;
      const till = datetime(element, 'DaTi', 'Tot') ?? existing?.till;
      if (from && till && till < from)
        reject({
          nl: "De waarde van 'Tot' ligt voor de waarde van 'Van'.",
          en: "The value of 'Tot' is before the value of 'Van'.",
        });
      const sbId = integer(element, 'SbId', 'Dossieritem');
      if (sbId != null && !demo.index.subjects.has(sbId))
        reject({ nl: `Dossieritem ${sbId} bestaat niet.`, en: `Dossier item ${sbId} does not exist.` });
      for (const line of children(element, 'KnAppointmentLines')) {
        const user = text(line, 'UsId');
        if (user && !demo.index.users.has(user.toUpperCase()))
          reject({ nl: `Gebruiker '${user}' bestaat niet.`, en: `User '${user}' does not exist.` });
      }
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        // `check` made sure that a PUT or sub-object call names an existing appointment.
        let appointment = appointmentOf(demo, element);
        if (!appointment) {
          appointment = {
            appointmentId: demo.data.next.appointmentId++,
            subject: '',
            body: null,
            from: '',
            till: '',
            type: null,
            locationId: null,
            locationText: null,
            technicalType: '0',
            personal: false,
            subjectId: null,
            recurring: false,
            recurrenceEnd: null,
            lines: [],
            custom: {},
          };
          demo.data.appointments.push(appointment);
        }
        const a = appointment;
        const sbj = text(element, 'Sbj');
        if (sbj) a.subject = sbj;
        const body = text(element, 'Body');
        if (body !== undefined) a.body = body;
        const from = datetime(element, 'DaFr', 'Van');
        if (from) a.from = from;
        const till = datetime(element, 'DaTi', 'Tot');
        if (till) a.till = till;
        assign(a, 'type', integer(element, 'ApTy', 'Type afspraak'));
        assign(a, 'locationId', text(element, 'LoId'));
        assign(a, 'locationText', text(element, 'LoTx'));
        assign(a, 'technicalType', text(element, 'ApIt'));
        assign(a, 'personal', bool(element, 'ApPe'));
        assign(a, 'subjectId', integer(element, 'SbId', 'Dossieritem'));
        assign(a, 'recurring', bool(element, 'IsRe'));
        assign(a, 'recurrenceEnd', datetime(element, 'ReTi', 'Einddatum reeks'));
        const custom = text(element, APPOINTMENT_CUSTOM_FIELD);
        if (custom !== undefined) a.custom[APPOINTMENT_CUSTOM_FIELD] = custom;
        for (const line of children(element, 'KnAppointmentLines')) a.lines.push(toLine(line));
        demo.changed();
        return { ApId: String(a.appointmentId) };
      }),
    );
  },
  remove(object, keys, store) {
    const demo = store as DemoStore;
    if (object !== 'KnAppointment')
      reject({
        nl: `Verwijderen van '${object}' wordt niet ondersteund.`,
        en: `Deleting '${object}' is not supported.`,
      });
    const id = keys.ApId ?? '';
    const index = demo.data.appointments.findIndex((a) => String(a.appointmentId) === id);
    if (!/^\d+$/.test(id) || index < 0)
      reject({ nl: `Afspraak ${id} bestaat niet.`, en: `Appointment ${id} does not exist.` });
    demo.data.appointments.splice(index, 1);
    demo.changed();
  },
};
