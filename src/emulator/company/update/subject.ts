/**
 * KnSubject: dossier items with links (KnSubjectLink) and attachments (KnSubjectAttachment).
 *
 * A link points at an organisation or person (`ToBC`/`ToSR`/`ToPR` with `BcId` = its number), an employee
 * (`ToEm` with `BcId` = the employee's person, or `SfTp` 2 with `SfId` = the employee id), an employer (`ToEr`,
 * or `SfTp` 10), a project (`PjId`) or, by `SfTp`/`SfId`, something the demo company does not model (applicants,
 * sales and purchase relations): those are kept as given. Links to things that do exist must resolve.
 *
 * Attachments arrive base64-encoded in `FileStream`; the file is stored under a new file id and served by the
 * SubjectConnector and FileConnector with a MIME type chosen by the file name's extension.
 */

import type { AttachmentRecord, SubjectLinkRecord, SubjectRecord } from '../data.js';
import { storedFile } from '../files/pool.js';
import { SUBJECT_TYPES } from '../names.js';
import { stableHex } from '../random.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import {
  assign,
  bool,
  children,
  codes,
  datetime,
  field,
  integer,
  lastResult,
  object,
  raw,
  reject,
  text,
} from './common.js';

const subjectTypes = new Set(SUBJECT_TYPES.map((t) => t.id));

const DESTINATION_TYPES = codes(
  '1 = Geen;2 = Medewerker;3 = Organisatie/persoon;4 = Verkooprelatie;8 = Cliënt IB;9 = Cliënt Vpb;10 = Werkgever;' +
    '11 = Inkooprelatie;17 = Sollicitant;66 = Cliënt OB;',
);

const linkObject = object('KnSubjectLink', [
  field('SbId', 'int', 'Dossieritem'),
  field('DoCRM', 'boolean', 'Opslaan in CRM-dossier'),
  field('ToBC', 'boolean', 'Organisatie/persoon'),
  field('ToEm', 'boolean', 'Medewerker'),
  field('ToSR', 'boolean', 'Verkooprelatie'),
  field('ToPR', 'boolean', 'Inkooprelatie'),
  field('ToEr', 'boolean', 'Werkgever'),
  field('ToAp', 'boolean', 'Sollicitant'),
  field('SfTp', 'string', 'Type bestemming', { length: 20, values: DESTINATION_TYPES }),
  field('SfId', 'string', 'Bestemming', { length: 50 }),
  field('BcId', 'string', 'Organisatie/persoon', { length: 15 }),
  field('CdId', 'int', 'Contact'),
  field('SiUn', 'int', 'Administratie (verkoop)'),
  field('SiTp', 'int', 'Factuurtype (verkoop)'),
  field('SiId', 'string', 'Verkoopfactuur', { length: 12 }),
  field('PiUn', 'int', 'Administratie (inkoop)'),
  field('PiTp', 'int', 'Factuurtype (inkoop)'),
  field('PiId', 'string', 'Inkoopfactuur', { length: 12 }),
  field('PjId', 'string', 'Project', { length: 15 }),
  field('DvSn', 'int', 'Dienstverband'),
  field('AbId', 'int', 'Verzuimmelding'),
  field('CcSn', 'int', 'Vervoermiddel'),
  field('OrNu', 'string', 'Pakbon', { length: 12 }),
]);

const attachmentObject = object('KnSubjectAttachment', [
  field('FileName', 'string', 'Bestandsnaam', { length: 255, mandatory: true }),
  field('FileId', 'string', 'Bestand-ID', { length: 32 }),
  field('FileStream', 'blob', 'Bestand als byte-array'),
]);

/**
 * Free fields of two dossier item types of this environment (sub-objects named after the type's table, with
 * GUID-like field ids), as in AFAS's examples: KnS04 for project items, KnS51 for fines.
 */
const customObjects = [
  object('KnS04', [
    field('U7A47A63043AE7777AE7B0EA09BA6FCA4', 'string', 'Accountmanager', { length: 15 }),
    field('UEEF20AEC4A771CDE69FF3B40BA8C1FA1', 'string', 'Tevredenheid', { length: 2 }),
    field('UF0F911494546A1E78A295F97D3421789', 'string', 'Vervolgactie', { length: 2 }),
    field('UB65BF2BD4FE2FA363ACF74896D7EA6F0', 'string', 'Toelichting klant', { length: 255 }),
  ]),
  object('KnS51', [
    field('U112E249248E7AF8B68A64BA5DF850577', 'date', 'Datum overtreding'),
    field('U307682E043316A0DCFF663B12C496196', 'int', 'Aantal punten'),
    field('U39EA313D6A864408AA7B7D9DFA323D42', 'string', 'Tijd tot', { length: 5 }),
    field('U2D84F4FE662C47F8BE0FBBF4DD353845', 'string', 'Tijd van', { length: 5 }),
  ]),
];

function subjectId(element: UpdateElement): number | undefined {
  const id = integer(element, 'SbId', 'Dossieritem');
  return id ?? undefined;
}

function resolveLink(store: DemoStore, element: UpdateElement): SubjectLinkRecord | undefined {
  const link: SubjectLinkRecord = {
    kind: 'other',
    bcCo: null,
    employeeId: null,
    employerId: null,
    projectId: null,
    destinationType: null,
    destinationId: null,
  };
  const idx = store.index;
  const bcId = text(element, 'BcId');
  const type = text(element, 'SfTp');
  const destination = text(element, 'SfId');
  const contact = (code: string) => idx.organisations.get(code.toUpperCase()) ?? idx.persons.get(code.toUpperCase());
  if (bool(element, 'ToEm') || type === '2') {
    const code = type === '2' ? destination : bcId;
    const employee = code
      ? (idx.employeeByPerson.get(code.toUpperCase()) ?? idx.employees.get(code.toUpperCase()))
      : undefined;
    if (!employee)
      reject({ nl: `Medewerker '${code ?? ''}' bestaat niet.`, en: `Employee '${code ?? ''}' does not exist.` });
    return { ...link, kind: 'employee', bcCo: employee.personBcCo, employeeId: employee.employeeId };
  }
  if (bool(element, 'ToEr') || type === '10') {
    const code = type === '10' ? destination : bcId;
    const employer = code
      ? (idx.employers.get(code.toUpperCase()) ?? idx.organisations.get(code.toUpperCase()))
      : undefined;
    if (!employer?.employerId)
      reject({ nl: `Werkgever '${code ?? ''}' bestaat niet.`, en: `Employer '${code ?? ''}' does not exist.` });
    return { ...link, kind: 'employer', bcCo: employer.bcCo, employerId: employer.employerId };
  }
  if (bool(element, 'ToBC') || bool(element, 'ToSR') || bool(element, 'ToPR') || type === '3') {
    const code = type === '3' ? destination : bcId;
    const found = code ? contact(code) : undefined;
    if (!found)
      reject({
        nl: `Organisatie/persoon '${code ?? ''}' bestaat niet.`,
        en: `Organisation/person '${code ?? ''}' does not exist.`,
      });
    return { ...link, kind: 'name' in found ? 'organisation' : 'person', bcCo: found.bcCo };
  }
  const projectId = text(element, 'PjId');
  if (projectId) {
    const project = idx.projects.get(projectId.toUpperCase());
    if (!project) reject({ nl: `Project '${projectId}' bestaat niet.`, en: `Project '${projectId}' does not exist.` });
    return { ...link, kind: 'project', projectId: project.projectId, bcCo: project.bcCo };
  }
  if (type && type !== '1') {
    // Applicants, sales and purchase relations…: not modelled; kept as given, with the BcId when that resolves.
    const found = bcId ? contact(bcId) : undefined;
    return { ...link, bcCo: found?.bcCo ?? null, destinationType: type, destinationId: destination ?? null };
  }
  if (bcId) {
    const found = contact(bcId);
    if (!found)
      reject({
        nl: `Organisatie/persoon '${bcId}' bestaat niet.`,
        en: `Organisation/person '${bcId}' does not exist.`,
      });
    return { ...link, kind: 'name' in found ? 'organisation' : 'person', bcCo: found.bcCo };
  }
  return undefined;
}

function decodeFile(element: UpdateElement, nameField: string): { name: string; data: Buffer } | undefined {
  const stream = raw(element, 'FileStream');
  const name = text(element, nameField);
  if (stream === undefined || stream === null || stream === '') return undefined;
  if (typeof stream !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(stream))
    reject({ nl: 'FileStream is geen geldige base64-tekst.', en: 'FileStream is not valid base64 text.' });
  if (!name)
    reject({
      nl: 'Bij een bestand (FileStream) hoort een bestandsnaam.',
      en: 'A file (FileStream) needs a file name.',
    });
  return { name, data: Buffer.from(stream, 'base64') };
}

function checkAttachments(store: DemoStore, element: UpdateElement): void {
  for (const a of children(element, 'KnSubjectAttachment')) {
    const file = decodeFile(a, 'FileName');
    const fileId = text(a, 'FileId');
    if (!file && !fileId)
      reject({
        nl: 'Een bijlage heeft een FileStream of een bestaand FileId nodig.',
        en: 'An attachment needs a FileStream or an existing FileId.',
      });
    if (!file && fileId && !store.file(fileId, text(a, 'FileName') ?? ''))
      reject({ nl: `Bestand '${fileId}' bestaat niet.`, en: `File '${fileId}' does not exist.` });
  }
  decodeFile(element, 'SbPa');
}

function addAttachments(store: DemoStore, element: UpdateElement, subject: SubjectRecord): void {
  const files: { name: string; data: Buffer }[] = [];
  const main = decodeFile(element, 'SbPa');
  if (main) files.push(main);
  for (const a of children(element, 'KnSubjectAttachment')) {
    const file = decodeFile(a, 'FileName');
    if (file) files.push(file);
    else {
      const existing = store.file(text(a, 'FileId') ?? '', text(a, 'FileName') ?? '');
      if (existing) files.push({ name: existing.fileName, data: existing.data });
    }
  }
  for (const file of files) {
    const attachmentId = store.data.next.attachmentId++;
    const fileId = stableHex(32, 'upload', subject.subjectId, attachmentId);
    store.putFile(fileId, storedFile(file.name, file.data));
    const record: AttachmentRecord = { attachmentId, fileId, fileName: file.name, fileSize: file.data.length };
    subject.attachments.push(record);
  }
}

function applyFields(element: UpdateElement, subject: SubjectRecord): void {
  const type = integer(element, 'StId', 'Type dossieritem');
  if (type != null) subject.type = type;
  const ds = text(element, 'Ds');
  if (ds) subject.subject = ds;
  assign(subject, 'memo', text(element, 'SbTx'));
  const submitted = datetime(element, 'Da', 'Datum invoer');
  if (submitted) subject.submitted = submitted;
  assign(subject, 'senderId', text(element, 'UsId'));
  assign(subject, 'completed', bool(element, 'St'));
  assign(subject, 'feature1', integer(element, 'FvF1'));
  assign(subject, 'feature2', integer(element, 'FvF2'));
  assign(subject, 'feature3', integer(element, 'FvF3'));
}

/**
 * Whether an element adds to an existing dossier item rather than creating one: on PUT, on a POST to a sub-object
 * URL, and on a POST that names an existing `@SbId` without a type (the HTTP layer calls `check` without the
 * sub-object, so `check` recognises `KnSubject/KnSubjectAttachment` calls by their shape).
 */
function targetsExisting(
  method: string,
  element: UpdateElement,
  exists: boolean,
  subObject: string | undefined,
): boolean {
  if (method === 'PUT' || subObject !== undefined) return true;
  return exists && integer(element, 'StId') == null;
}

export const knSubject: UpdateConnectorDef = {
  id: 'KnSubject',
  description: 'Dossieritem',
  name: 'KnSubject',
  methods: ['POST', 'PUT', 'DELETE'],
  fields: [
    field('SbId', 'int', 'Dossieritem', { key: true }),
    field('StId', 'int', 'Type dossieritem', {
      mandatory: true,
      values: SUBJECT_TYPES.map((t) => [String(t.id), t.description] as const),
    }),
    field('Ds', 'string', 'Onderwerp', { length: 255, mandatory: true }),
    field('SbTx', 'string', 'Toelichting', { length: 0 }),
    field('Da', 'date', 'Datum invoer'),
    field('UsId', 'string', 'Afzender', { length: 80 }),
    field('EmId', 'string', 'Verantwoordelijke', { length: 80 }),
    field('ViPr', 'string', 'Prioriteit', { length: 20, values: codes('H = Hoog;N = Normaal;L = Laag;') }),
    field('DtFr', 'date', 'Begindatum'),
    field('DtTo', 'date', 'Einddatum'),
    field('St', 'boolean', 'Afgehandeld'),
    field('DtSt', 'date', 'Datum afgehandeld'),
    field('FvF1', 'int', 'Kenmerkwaarde 1'),
    field('FvF2', 'int', 'Kenmerkwaarde 2'),
    field('FvF3', 'int', 'Kenmerkwaarde 3'),
    field('SbBl', 'boolean', 'Geblokkeerd'),
    field('SbPa', 'string', 'Bestandsnaam van de bijlage', { length: 255 }),
    field('FileId', 'string', 'Bestand-ID', { length: 32 }),
    field('FileTrans', 'boolean', 'Bestand opslaan bij dossieritem'),
    field('FileStream', 'blob', 'Bestand als byte-array'),
    field('MarkOpened', 'boolean', 'Dossieritem markeren als geopend'),
  ],
  objects: [linkObject, attachmentObject, ...customObjects],
  check(method, elements, store, subObject?: string) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const id = subjectId(element);
      const existing = id === undefined ? undefined : demo.index.subjects.get(id);
      const addsToExisting = targetsExisting(method, element, existing !== undefined, subObject);
      if (addsToExisting) {
        if (id === undefined) reject({ nl: 'Geef het dossieritem op (@SbId).', en: 'Give the dossier item (@SbId).' });
        if (!existing) reject({ nl: `Dossieritem ${id} bestaat niet.`, en: `Dossier item ${id} does not exist.` });
      } else {
        if (existing) reject({ nl: `Dossieritem ${id} bestaat al.`, en: `Dossier item ${id} already exists.` });
        const type = integer(element, 'StId', 'Type dossieritem');
        if (type == null)
          reject({
            nl: "Het veld 'Type dossieritem' (StId) is verplicht.",
            en: "The field 'Type dossieritem' (StId) is mandatory.",
          });
        if (!subjectTypes.has(type))
          reject({ nl: `Type dossieritem ${type} bestaat niet.`, en: `Dossier item type ${type} does not exist.` });
        if (!text(element, 'Ds'))
          reject({ nl: "Het veld 'Onderwerp' (Ds) is verplicht.", en: "The field 'Onderwerp' (Ds) is mandatory." });
      }
      if (
        method === 'PUT' &&
        integer(element, 'StId') != null &&
        !subjectTypes.has(integer(element, 'StId') as number)
      ) {
        reject({
          nl: `Type dossieritem ${integer(element, 'StId')} bestaat niet.`,
          en: `Dossier item type ${integer(element, 'StId')} does not exist.`,
        });
      }
      datetime(element, 'Da', 'Datum invoer');
      for (const link of children(element, 'KnSubjectLink')) resolveLink(demo, link);
      checkAttachments(demo, element);
    }
  },
  apply(method, elements, store, subObject) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const id = subjectId(element);
        let subject = id === undefined ? undefined : demo.index.subjects.get(id);
        if (!subject || !targetsExisting(method, element, true, subObject)) {
          const now = demo.now();
          subject = {
            subjectId: demo.data.next.subjectId++,
            type: 4,
            submitted: now,
            subject: '',
            memo: null,
            status: null,
            number: null,
            feature1: null,
            feature2: null,
            feature3: null,
            senderId: null,
            completed: false,
            links: [],
            attachments: [],
            custom: {},
          };
          demo.data.subjects.push(subject);
        }
        const s = subject;
        applyFields(element, s);
        for (const linkElement of children(element, 'KnSubjectLink')) {
          const link = resolveLink(demo, linkElement);
          if (link) s.links.push(link);
        }
        addAttachments(demo, element, s);
        for (const custom of customObjects) {
          for (const c of children(element, custom.name)) {
            for (const [key, value] of Object.entries(c.fields)) {
              if (!key.startsWith('@'))
                s.custom[key] = value === '' ? null : (value as string | number | boolean | null);
            }
          }
        }
        demo.changed();
        return { SbId: String(s.subjectId) };
      }),
    );
  },
  remove(object, keys, store) {
    const demo = store as DemoStore;
    if (object !== 'KnSubject')
      reject({
        nl: `Verwijderen van '${object}' wordt niet ondersteund.`,
        en: `Deleting '${object}' is not supported.`,
      });
    const id = Number(keys.SbId);
    const index = demo.data.subjects.findIndex((s) => s.subjectId === id);
    if (!/^\d+$/.test(keys.SbId ?? '') || index < 0)
      reject({
        nl: `Dossieritem ${keys.SbId ?? ''} bestaat niet.`,
        en: `Dossier item ${keys.SbId ?? ''} does not exist.`,
      });
    demo.data.subjects.splice(index, 1);
    demo.changed();
  },
};
