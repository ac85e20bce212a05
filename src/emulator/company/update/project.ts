/**
 * PtProject: projects with a location address and stages. A POST naming an existing `PrId` changes that project
 * (AFAS's examples add stages that way); without `PrId` a new number is assigned. A project with dossier items
 * cannot be deleted, as Profit refuses deleting records that others refer to.
 */
import type { ProjectRecord } from '../data.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import { addressObject, checkAddress, storeAddress } from './address.js';
import {
  assign,
  bool,
  children,
  codes,
  date,
  decimalText,
  field,
  integer,
  lastResult,
  object,
  reject,
  text,
} from './common.js';

const PROJECT_GROUPS = new Set(['CON', 'ALG', 'HB']);

function projectOf(store: DemoStore, element: UpdateElement): ProjectRecord | undefined {
  const id = text(element, 'PrId');
  return id ? store.index.projects.get(id.toUpperCase()) : undefined;
}

export const ptProject: UpdateConnectorDef = {
  id: 'PtProject',
  description: 'Project',
  name: 'PtProject',
  methods: ['POST', 'PUT', 'DELETE'],
  fields: [
    field('PrId', 'string', 'Project', { length: 15, key: true }),
    field('Prof', 'int', 'Projectprofiel'),
    field('PrGp', 'string', 'Projectgroep', { length: 15 }),
    field('Ds', 'string', 'Omschrijving', { length: 100 }),
    field('BcCo', 'string', 'Organisatie/persoon', { length: 15 }),
    field('CpId', 'int', 'Contactpersoon'),
    field('CtIn', 'int', 'Contact projectfactuur'),
    field('DpId', 'string', 'Organisatorische eenheid', { length: 10 }),
    field('EmId', 'string', 'Interne projectleider', { length: 15 }),
    field('DtAn', 'date', 'Datum aanmaak'),
    field('DaSt', 'date', 'Startdatum'),
    field('DtGp', 'date', 'Geplande einddatum'),
    field('DtGw', 'date', 'Werkelijke einddatum'),
    field('DbId', 'string', 'Verkooprelatie', { length: 16 }),
    field('Char', 'string', 'Kenmerk', { length: 100 }),
    field('ClRe', 'string', 'Referentie klant', { length: 100 }),
    field('ChOu', 'boolean', 'Afgehandeld'),
    field('PrSt', 'string', 'Projectstatus', { length: 15 }),
    field('InTx', 'string', 'Factuurtekst', { length: 40 }),
    field('UnFi', 'int', 'Administratie'),
    field('Re', 'string', 'Opmerking', { length: 0 }),
    field('Ch', 'boolean', 'Doorbelasten'),
    field('OvPc', 'decimal', 'Opslag algemene kosten (%)', { decimals: 2 }),
    field('CuId', 'string', 'Valuta', { length: 3 }),
    field('SaFc', 'decimal', 'Totale aanneemsom', { decimals: 2 }),
    field('Inst', 'boolean', 'Termijnfacturen'),
    field('BcPl', 'string', 'Organisatie/externe persoon', { length: 15 }),
    field('CdPl', 'int', 'Externe projectleider'),
    field('SeIn', 'boolean', 'Apart factureren'),
    field('ToSc', 'boolean', 'Nacalculatie verwerken in agenda'),
    field('Deli', 'int', 'Levertijd in dagen'),
    field('DeDi', 'boolean', 'Levering op projectlocatie'),
    field('DeRe', 'boolean', 'Pakbonnen naar nacalculatie'),
    field('PrTy', 'string', 'Type project', {
      length: 20,
      values: codes('0 = Project;1 = Klantovereenkomst;2 = Werkbon;3 = Service;'),
    }),
    field('VaCo', 'string', 'Incasseren', {
      length: 20,
      values: codes('1 = Overeenkomstig verkooprelatie;2 = Niet incasseren;3 = Incasseren;'),
    }),
    field('FileName', 'string', 'Naam bestand', { length: 255 }),
    field('FileStream', 'blob', 'Afbeelding'),
  ],
  objects: [
    addressObject('KnBasicAddressAdr'),
    object('PtProjectStage', [
      field('PrId', 'string', 'Project', { length: 15 }),
      field('PrSt', 'string', 'Projectfase', { length: 15, mandatory: true }),
      field('Ds', 'string', 'Omschrijving', { length: 100 }),
      field('DaSt', 'date', 'Startdatum'),
      field('DtGp', 'date', 'Geplande einddatum'),
      field('InTx', 'string', 'Factuurtekst', { length: 40 }),
      field('ChOu', 'boolean', 'Afgehandeld'),
      field('PsMn', 'string', 'Hoofdfase', { length: 15 }),
    ]),
  ],
  check(method, elements, store) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const existing = projectOf(demo, element);
      if (!existing) {
        if (method === 'PUT')
          reject({
            nl: `Project '${text(element, 'PrId') ?? ''}' bestaat niet.`,
            en: `Project '${text(element, 'PrId') ?? ''}' does not exist.`,
          });
        if (!text(element, 'PrGp'))
          reject({
            nl: "Het veld 'Projectgroep' (PrGp) is verplicht voor een nieuw project.",
            en: "The field 'Projectgroep' (PrGp) is mandatory for a new project.",
          });
      }
      const group = text(element, 'PrGp');
      if (group && !PROJECT_GROUPS.has(group.toUpperCase()))
        reject({ nl: `Projectgroep '${group}' bestaat niet.`, en: `Project group '${group}' does not exist.` });
      for (const id of ['BcCo', 'BcPl']) {
        const code = text(element, id);
        if (code && !demo.index.organisations.has(code.toUpperCase()) && !demo.index.persons.has(code.toUpperCase())) {
          reject({
            nl: `Organisatie/persoon '${code}' bestaat niet.`,
            en: `Organisation/person '${code}' does not exist.`,
          });
        }
      }
      const manager = text(element, 'EmId');
      if (manager && !demo.index.employees.has(manager.toUpperCase()))
        reject({ nl: `Medewerker '${manager}' bestaat niet.`, en: `Employee '${manager}' does not exist.` });
      const unit = integer(element, 'UnFi', 'Administratie');
      if (unit != null && unit !== 1)
        reject({ nl: `Administratie ${unit} bestaat niet.`, en: `Administration ${unit} does not exist.` });
      for (const a of children(element, 'KnBasicAddressAdr')) checkAddress(a);
      for (const stage of children(element, 'PtProjectStage')) {
        const prId = text(stage, 'PrId');
        if (prId && text(element, 'PrId') && prId.toUpperCase() !== text(element, 'PrId')?.toUpperCase()) {
          reject({
            nl: `Projectfase hoort bij project '${prId}', niet bij '${text(element, 'PrId')}'.`,
            en: `The project phase belongs to project '${prId}', not to '${text(element, 'PrId')}'.`,
          });
        }
      }
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const now = demo.now();
        let project = projectOf(demo, element);
        if (!project) {
          const numeric = demo.data.projects
            .map((p) => Number(p.projectId))
            .filter((n) => Number.isInteger(n) && n < 10_000_000);
          project = {
            projectId: text(element, 'PrId') ?? String(Math.max(920000, ...numeric) + 1),
            description: '',
            unitId: 1,
            projectGroup: 'ALG',
            completed: false,
            bcCo: null,
            debtorId: null,
            managerId: null,
            dateStart: null,
            datePlannedReady: null,
            dateReady: null,
            chargeable: true,
            status: null,
            contractSum: null,
            remark: null,
            addressId: null,
            stages: [],
            createDate: now,
            modifiedDate: now,
          };
          demo.data.projects.push(project);
        }
        const p = project;
        const ds = text(element, 'Ds');
        if (ds !== undefined) p.description = ds ?? '';
        const group = text(element, 'PrGp');
        if (group) p.projectGroup = group.toUpperCase();
        const bcCo = text(element, 'BcCo');
        if (bcCo !== undefined) {
          const code = bcCo?.toUpperCase() ?? '';
          p.bcCo = (demo.index.organisations.get(code) ?? demo.index.persons.get(code))?.bcCo ?? null;
        }
        assign(p, 'debtorId', text(element, 'DbId'));
        const manager = text(element, 'EmId');
        if (manager !== undefined)
          p.managerId = manager === null ? null : (demo.index.employees.get(manager.toUpperCase())?.employeeId ?? null);
        assign(p, 'dateStart', date(element, 'DaSt'));
        assign(p, 'datePlannedReady', date(element, 'DtGp'));
        assign(p, 'dateReady', date(element, 'DtGw'));
        assign(p, 'completed', bool(element, 'ChOu'));
        assign(p, 'chargeable', bool(element, 'Ch'));
        assign(p, 'status', text(element, 'PrSt'));
        assign(p, 'contractSum', decimalText(element, 'SaFc', 2));
        assign(p, 'remark', text(element, 'Re'));
        const address = children(element, 'KnBasicAddressAdr')[0];
        if (address) p.addressId = storeAddress(demo, address, now);
        for (const stage of children(element, 'PtProjectStage')) {
          const id = text(stage, 'PrSt') ?? '';
          const current = p.stages.find((s) => s.id === id);
          const record = current ?? { id, description: '', dateStart: null, completed: false };
          const description = text(stage, 'Ds');
          if (description !== undefined) record.description = description ?? '';
          assign(record, 'dateStart', date(stage, 'DaSt'));
          assign(record, 'completed', bool(stage, 'ChOu'));
          if (!current) p.stages.push(record);
        }
        p.modifiedDate = now;
        demo.changed();
        return { PrId: p.projectId };
      }),
    );
  },
  remove(object, keys, store) {
    const demo = store as DemoStore;
    if (object !== 'PtProject')
      reject({
        nl: `Verwijderen van '${object}' wordt niet ondersteund.`,
        en: `Deleting '${object}' is not supported.`,
      });
    const id = (keys.PrId ?? '').toUpperCase();
    const index = demo.data.projects.findIndex((p) => p.projectId.toUpperCase() === id);
    if (index < 0)
      reject({ nl: `Project '${keys.PrId ?? ''}' bestaat niet.`, en: `Project '${keys.PrId ?? ''}' does not exist.` });
    if (demo.data.subjects.some((s) => s.links.some((l) => l.projectId?.toUpperCase() === id))) {
      reject({
        nl: `Project '${keys.PrId}' kan niet worden verwijderd: er zijn dossieritems aan gekoppeld.`,
        en: `Project '${keys.PrId}' cannot be deleted: dossier items are linked to it.`,
      });
    }
    demo.data.projects.splice(index, 1);
    demo.changed();
  },
};
