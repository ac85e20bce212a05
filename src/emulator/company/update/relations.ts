/**
 * KnPerson and KnOrganisation: create or change persons and organisations, with their addresses.
 *
 * Matching (`MatchPer`, `MatchOga`) decides whether an element changes an existing record or adds one:
 * KnPerson 0 = by BcCo, 1 = by BSN, 2–6 = by name, prefix, initials and gender (plus work e-mail, work mobile,
 * work phone or date of birth), 7 = always add; KnOrganisation 0 = by BcCo, 1 = by CoC number, 3 = by name,
 * 6 = always add (2, 4 and 5 match on data the demo company does not keep, so they never match). A match updates;
 * no match inserts on POST and is rejected on PUT.
 *
 * A KnPerson / KnOrganisation POST with rule 0 and no BcCo is refused: rule 0 has nothing to compare, and AFAS's
 * create examples never send it (oas/organisaties-en-personen.json: a new person goes with MatchPer 7 or 6, a new
 * organisation with MatchOga 6, or 0 together with the BcCo it is to get). unconfirmed: what Profit itself answers;
 * refusing it keeps clients to the documented rules. (A person inside KnEmployee is not held to this.)
 */
import { isValidBsn } from '../bsn.js';
import { makeSalaryAccount, type OrganisationRecord, type PersonRecord } from '../data.js';
import { PERSON_CUSTOM_FIELD } from '../get/shared.js';
import type { DemoStore } from '../store.js';
import type {
  Texts,
  UpdateConnectorDef,
  UpdateElement,
  UpdateFieldDef,
  UpdateMethod,
  UpdateObjectDef,
} from '../types.js';
import { addressObject, checkAddress, storeAddress } from './address.js';
import { afasCodes } from './afas-codes.js';
import { assign, bool, children, codes, date, field, has, lastResult, object, reject, text } from './common.js';

const bankAccount = object('KnBankAccount', [
  field('CoId', 'string', 'Land van bank', { length: 3, mandatory: true }),
  field('IbCk', 'boolean', 'IBAN-controle'),
  field('Iban', 'string', 'IBAN-nummer', { length: 40 }),
  field('BaAc', 'string', 'Bankrekening', { length: 40 }),
  field('BkTp', 'int', 'Banktype'),
  field('BkIc', 'string', 'Bank', { length: 15 }),
  field('AcGa', 'boolean', 'G-rekening'),
  field('AcCk', 'boolean', 'Cheque'),
  field('Bic', 'string', 'BIC-code', { length: 11 }),
  field('DiNm', 'string', 'Afwijkende naam', { length: 80 }),
]);

export const personFields: readonly UpdateFieldDef[] = [
  field('PadAdr', 'boolean', 'Postadres is adres'),
  field('AutoNum', 'boolean', 'Autonummering'),
  field('MatchPer', 'string', 'Persoon vergelijken op', {
    length: 1,
    mandatory: true,
    values: codes(
      '0 = Zoek op BcCo (Persoons-ID);1 = Burgerservicenummer;2 = Naam + voorvoegsel + initialen + geslacht;' +
        '3 = Naam + voorvoegsel + initialen + geslacht + e-mail werk;4 = Naam + voorvoegsel + initialen + geslacht + mobiel werk;' +
        '5 = Naam + voorvoegsel + initialen + geslacht + telefoon werk;6 = Naam + voorvoegsel + initialen + geslacht + geboortedatum;' +
        '7 = Altijd nieuw toevoegen;',
    ),
  }),
  field('BcId', 'int', 'Organisatie/persoon (intern)'),
  field('BcCo', 'string', 'Nummer', { length: 15, key: true }),
  field('SeNm', 'string', 'Zoeknaam', { length: 10 }),
  field('CaNm', 'string', 'Roepnaam', { length: 80 }),
  field('FiNm', 'string', 'Voornaam', { length: 50 }),
  field('In', 'string', 'Voorletters', { length: 15 }),
  field('Is', 'string', 'Voorvoegsel', { length: 15 }),
  field('LaNm', 'string', 'Achternaam', { length: 80 }),
  field('SpNm', 'boolean', 'Geboortenaam apart invullen'),
  field('IsBi', 'string', 'Voorv. geb.naam', { length: 15 }),
  field('NmBi', 'string', 'Geboortenaam', { length: 80 }),
  field('IsPa', 'string', 'Voorvoegsel partner', { length: 15 }),
  field('NmPa', 'string', 'Geb.naam partner', { length: 80 }),
  field('ViUs', 'string', 'Naamgebruik', {
    length: 20,
    values: codes(
      '0 = Geboortenaam;1 = Geb. naam partner + Geboortenaam;2 = Geboortenaam partner;3 = Geboortenaam + Geb. naam partner;',
    ),
  }),
  field('ViGe', 'string', 'Geslacht', { length: 20, values: codes('M = Man;O = Onbekend;V = Vrouw;X = Non-binair;') }),
  field('PsNa', 'string', 'Nationaliteit', { length: 20, values: afasCodes('KnPerson', 'KnPerson', 'PsNa') }),
  field('DaBi', 'date', 'Geboortedatum'),
  field('CoBi', 'string', 'Geboorteland', { length: 3 }),
  field('RsBi', 'string', 'Geboorteplaats', { length: 50 }),
  field('SoSe', 'string', 'BSN', { length: 25 }),
  field('ViCs', 'string', 'Burgerlijke staat', {
    length: 20,
    values: codes(
      'DZ = Duurzaam gescheiden;GH = Gehuwd;GP = Geregistreerd partnerschap;GS = Gescheiden;OG = Ongehuwd;OV = Overig;WE = Weduwe/Weduwnaar;',
    ),
  }),
  field('DaMa', 'date', 'Huwelijksdatum'),
  field('TtId', 'string', 'Titel/aanhef', { length: 3 }),
  field('TeNr', 'string', 'Telefoonnr. werk', { length: 255 }),
  field('TeN2', 'string', 'Telefoonnr. privé', { length: 255 }),
  field('MbNr', 'string', 'Mobiel werk', { length: 255 }),
  field('MbN2', 'string', 'Mobiel privé', { length: 255 }),
  field('EmAd', 'string', 'E-mail werk', { length: 255 }),
  field('EmA2', 'string', 'E-mail privé', { length: 255 }),
  field('HoPa', 'string', 'Website', { length: 255 }),
  field('Corr', 'boolean', 'Correspondentie'),
  field('ViMd', 'string', 'Voorkeursmedium', {
    length: 20,
    values: codes('EMA = E-mail;FAX = Fax;PRS = Persoonlijk;PST = Post;TEL = Telefoonnr.;'),
  }),
  field('Re', 'string', 'Opmerking', { length: 0 }),
  field('LgId', 'string', 'Taal', { length: 3 }),
  field('CoLw', 'string', 'Land wetgeving', { length: 2 }),
  field('FileName', 'string', 'Naam bestand', { length: 255 }),
  field('FileStream', 'blob', 'Afbeelding'),
  field('AddToPortal', 'boolean', 'Persoon toegang geven tot afgeschermde deel van de portal(s)'),
  field('EmailPortal', 'string', 'E-mail toegang', { length: 255 }),
  // A custom field (vrij veld) of this environment, recognisable by its GUID-like id.
  field(PERSON_CUSTOM_FIELD, 'string', 'Lidnummer personeelsvereniging', { length: 255 }),
];

const personObjects: readonly UpdateObjectDef[] = [
  object('KnContactAutRole', [field('AutRoleDs', 'string', 'Autorisatierol', { length: 80, mandatory: true })]),
  bankAccount,
  addressObject('KnBasicAddressAdr'),
  addressObject('KnBasicAddressPad'),
];

/** The KnPerson object, also used as a sub-object of KnEmployee. */
export const personObject: UpdateObjectDef = object('KnPerson', personFields, personObjects);

function checkAddresses(element: UpdateElement): void {
  for (const name of ['KnBasicAddressAdr', 'KnBasicAddressPad'])
    for (const a of children(element, name)) checkAddress(a);
}

/** The existing person an element refers to, by its MatchPer rule. */
export function matchPerson(store: DemoStore, element: UpdateElement): PersonRecord | undefined {
  const rule = text(element, 'MatchPer') ?? '0';
  const persons = store.data.persons;
  switch (rule) {
    case '0': {
      const code = text(element, 'BcCo');
      return code ? store.index.persons.get(code.toUpperCase()) : undefined;
    }
    case '1': {
      const bsn = text(element, 'SoSe');
      return bsn ? persons.find((p) => p.bsn === bsn) : undefined;
    }
    case '2':
    case '3':
    case '4':
    case '5':
    case '6': {
      const same = (a: string | null | undefined, b: string | null) => (a ?? null)?.toLowerCase() === b?.toLowerCase();
      const extra: Record<string, [string, keyof PersonRecord]> = {
        '3': ['EmAd', 'mailWork'],
        '4': ['MbNr', 'mobileWork'],
        '5': ['TeNr', 'phoneWork'],
        '6': ['DaBi', 'dateOfBirth'],
      };
      const [extraField, extraKey] = extra[rule] ?? [];
      return persons.find(
        (p) =>
          same(text(element, 'LaNm'), p.lastName) &&
          same(text(element, 'Is'), p.prefix) &&
          same(text(element, 'In'), p.initials) &&
          same(text(element, 'ViGe'), p.gender) &&
          (!extraField ||
            !extraKey ||
            same(
              extraField === 'DaBi' ? date(element, 'DaBi') : text(element, extraField),
              p[extraKey] as string | null,
            )),
      );
    }
    default:
      return undefined;
  }
}

/** Content rules for one KnPerson element. `mayInsert`: whether a new person may result (POST). */
export function checkPerson(store: DemoStore, element: UpdateElement, mayInsert: boolean): void {
  const bsn = text(element, 'SoSe');
  if (bsn && !isValidBsn(bsn))
    reject({
      nl: `Het burgerservicenummer '${bsn}' is ongeldig: het voldoet niet aan de elfproef.`,
      en: `The citizen service number '${bsn}' is not valid: it fails the eleven test.`,
    });
  const rule = text(element, 'MatchPer') ?? '0';
  const existing = rule === '7' ? undefined : matchPerson(store, element);
  if (!existing) {
    if (!mayInsert)
      reject({
        nl: `Persoon '${text(element, 'BcCo') ?? ''}' bestaat niet (vergelijken op ${rule}).`,
        en: `Person '${text(element, 'BcCo') ?? ''}' does not exist (matching on ${rule}).`,
      });
    if (!text(element, 'LaNm'))
      reject({
        nl: "Het veld 'Achternaam' (LaNm) is verplicht voor een nieuwe persoon.",
        en: "The field 'Achternaam' (LaNm) is mandatory for a new person.",
      });
    const code = text(element, 'BcCo');
    const autoNum = bool(element, 'AutoNum') ?? !code;
    if (!autoNum && !code)
      reject({
        nl: "Het veld 'Nummer' (BcCo) is verplicht als autonummering uit staat.",
        en: "The field 'Nummer' (BcCo) is mandatory when automatic numbering is off.",
      });
    if (
      !autoNum &&
      code &&
      (store.index.persons.has(code.toUpperCase()) || store.index.organisations.has(code.toUpperCase()))
    ) {
      reject({ nl: `Nummer '${code}' is al in gebruik.`, en: `Number '${code}' is already in use.` });
    }
  } else if (has(element, 'LaNm') && !text(element, 'LaNm')) {
    reject({
      nl: "Het veld 'Achternaam' (LaNm) mag niet leeg zijn.",
      en: "The field 'Achternaam' (LaNm) may not be empty.",
    });
  }
  if (bsn) {
    const other = store.data.persons.find((p) => p.bsn === bsn && p !== existing);
    if (other && rule !== '7')
      reject({
        nl: `Het burgerservicenummer '${bsn}' is al vastgelegd bij persoon ${other.bcCo}.`,
        en: `The citizen service number '${bsn}' is already registered for person ${other.bcCo}.`,
      });
  }
  checkAddresses(element);
}

function nextCode(store: DemoStore): string {
  return String(store.data.next.bcCo++);
}

/** Applies one KnPerson element (after `checkPerson`); returns the person. */
export function applyPerson(store: DemoStore, element: UpdateElement): PersonRecord {
  const now = store.now();
  const rule = text(element, 'MatchPer') ?? '0';
  let person = rule === '7' ? undefined : matchPerson(store, element);
  if (!person) {
    const code = text(element, 'BcCo');
    const autoNum = bool(element, 'AutoNum') ?? !code;
    person = {
      bcId: store.data.next.bcId++,
      bcCo: autoNum || !code ? nextCode(store) : code,
      firstName: null,
      callName: null,
      initials: null,
      prefix: null,
      lastName: '',
      birthNamePrefix: null,
      birthName: null,
      gender: 'O',
      dateOfBirth: null,
      bsn: null,
      nationality: null,
      maritalStatus: null,
      mailWork: null,
      mailPrivate: null,
      phoneWork: null,
      mobileWork: null,
      addressId: null,
      postAddressId: null,
      note: null,
      membershipNumber: null,
      createDate: now,
      modifiedDate: now,
    };
    store.data.persons.push(person);
  }
  const p = person;
  assign(p, 'firstName', text(element, 'FiNm'));
  assign(p, 'callName', text(element, 'CaNm'));
  assign(p, 'initials', text(element, 'In'));
  assign(p, 'prefix', text(element, 'Is'));
  const lastName = text(element, 'LaNm');
  if (lastName) p.lastName = lastName;
  assign(p, 'birthNamePrefix', text(element, 'IsBi'));
  assign(p, 'birthName', text(element, 'NmBi'));
  const gender = text(element, 'ViGe');
  if (gender !== undefined) p.gender = gender ?? 'O';
  assign(p, 'dateOfBirth', date(element, 'DaBi', 'Geboortedatum'));
  assign(p, 'bsn', text(element, 'SoSe'));
  assign(p, 'nationality', text(element, 'PsNa'));
  assign(p, 'maritalStatus', text(element, 'ViCs'));
  assign(p, 'mailWork', text(element, 'EmAd'));
  assign(p, 'mailPrivate', text(element, 'EmA2'));
  assign(p, 'phoneWork', text(element, 'TeNr'));
  assign(p, 'mobileWork', text(element, 'MbNr'));
  assign(p, 'note', text(element, 'Re'));
  assign(p, 'membershipNumber', text(element, PERSON_CUSTOM_FIELD));
  applyAddresses(store, element, p, now);
  const iban = children(element, 'KnBankAccount')
    .map((b) => text(b, 'Iban'))
    .find(Boolean);
  const employee = store.data.employees.find((e) => e.personBcCo === p.bcCo);
  if (iban && employee) makeSalaryAccount(employee, iban);
  p.modifiedDate = now;
  store.changed();
  return p;
}

function applyAddresses(
  store: DemoStore,
  element: UpdateElement,
  target: PersonRecord | OrganisationRecord,
  now: string,
): void {
  const visit = children(element, 'KnBasicAddressAdr')[0];
  const post = children(element, 'KnBasicAddressPad')[0];
  const postIsVisit = bool(element, 'PadAdr') ?? !post;
  if (visit) {
    target.addressId = storeAddress(store, visit, now);
    if (postIsVisit) target.postAddressId = target.addressId;
  }
  if (post && !postIsVisit) target.postAddressId = storeAddress(store, post, now);
}

/** Refuses rule 0 ("zoek op BcCo") without a BcCo: there is nothing to compare (see the top of this file). */
function checkMatchRule(element: UpdateElement, rule: 'MatchPer' | 'MatchOga', kind: Texts): void {
  if ((text(element, rule) ?? '0') === '0' && !text(element, 'BcCo')) {
    reject({
      nl: `${kind.nl} vergelijken op nummer (${rule} 0) kan niet zonder 'Nummer' (BcCo).`,
      en: `Matching ${kind.en} by number (${rule} 0) needs a 'Number' (BcCo).`,
    });
  }
}

function methodsAllowInsert(method: UpdateMethod): boolean {
  return method === 'POST';
}

export const knPerson: UpdateConnectorDef = {
  id: 'KnPerson',
  description: 'Persoon',
  ...personObject,
  methods: ['POST', 'PUT'],
  check(method, elements, store) {
    for (const element of elements) {
      checkMatchRule(element, 'MatchPer', { nl: 'Persoon', en: 'a person' });
      checkPerson(store as DemoStore, element, methodsAllowInsert(method));
    }
  },
  apply(_method, elements, store) {
    return lastResult(
      elements.map((element) => {
        const person = applyPerson(store as DemoStore, element);
        return { BcCo: person.bcCo, BcId: String(person.bcId) };
      }),
    );
  },
};

// ------------------------------------------------------------------------------------------------------------

export const organisationObject: UpdateObjectDef = object(
  'KnOrganisation',
  [
    field('PadAdr', 'boolean', 'Postadres is adres'),
    field('AutoNum', 'boolean', 'Autonummering'),
    field('MatchOga', 'string', 'Organisatie vergelijken op', {
      length: 1,
      mandatory: true,
      values: codes(
        '0 = Zoek op BcCo;1 = KvK-nummer;2 = Fiscaal nummer;3 = Naam;4 = Adres;5 = Postadres;6 = Altijd nieuw toevoegen;',
      ),
    }),
    field('BcId', 'int', 'Organisatie/persoon (intern)'),
    field('BcCo', 'string', 'Nummer', { length: 15, key: true }),
    field('SeNm', 'string', 'Zoeknaam', { length: 10 }),
    field('Nm', 'string', 'Naam', { length: 255 }),
    field('ViLe', 'string', 'Rechtsvorm', {
      length: 20,
      values: afasCodes('KnOrganisation', 'KnOrganisation', 'ViLe'),
    }),
    field('CcNr', 'string', 'KvK-nummer', { length: 30 }),
    field('CcDa', 'date', 'Datum KvK'),
    field('NmRg', 'string', 'Statutaire naam', { length: 80 }),
    field('RsRg', 'string', 'Vestiging (statutair)', { length: 50 }),
    field('TeNr', 'string', 'Telefoonnr. werk', { length: 255 }),
    field('MbNr', 'string', 'Mobiel werk', { length: 255 }),
    field('EmAd', 'string', 'E-mail werk', { length: 255 }),
    field('HoPa', 'string', 'Website', { length: 255 }),
    field('Corr', 'boolean', 'Correspondentie'),
    field('ViMd', 'string', 'Voorkeursmedium', {
      length: 20,
      values: codes('EMA = E-mail;FAX = Fax;PRS = Persoonlijk;PST = Post;TEL = Telefoonnr.;'),
    }),
    field('Re', 'string', 'Opmerking', { length: 0 }),
    field('FiNr', 'string', 'Fiscaal nummer', { length: 9 }),
    field('StId', 'string', 'Status', { length: 20 }),
    field('LgId', 'string', 'Taal', { length: 3 }),
    field('XpRe', 'string', 'Externe sleutel', { length: 40 }),
    field('BcPa', 'string', 'Onderdeel van organisatie', { length: 15 }),
  ],
  [bankAccount, addressObject('KnBasicAddressAdr'), addressObject('KnBasicAddressPad')],
);

function matchOrganisation(store: DemoStore, element: UpdateElement): OrganisationRecord | undefined {
  const rule = text(element, 'MatchOga') ?? '0';
  const organisations = store.data.organisations;
  if (rule === '0') {
    const code = text(element, 'BcCo');
    return code ? store.index.organisations.get(code.toUpperCase()) : undefined;
  }
  if (rule === '1') {
    const coc = text(element, 'CcNr');
    return coc ? organisations.find((o) => o.cocNumber === coc) : undefined;
  }
  if (rule === '3') {
    const name = text(element, 'Nm')?.toLowerCase();
    return name ? organisations.find((o) => o.name.toLowerCase() === name) : undefined;
  }
  return undefined;
}

export const knOrganisation: UpdateConnectorDef = {
  id: 'KnOrganisation',
  description: 'Organisatie',
  ...organisationObject,
  methods: ['POST', 'PUT'],
  check(method, elements, store) {
    const demo = store as DemoStore;
    for (const element of elements) {
      checkMatchRule(element, 'MatchOga', { nl: 'Organisatie', en: 'an organisation' });
      const existing = matchOrganisation(demo, element);
      if (!existing) {
        if (method !== 'POST')
          reject({
            nl: `Organisatie '${text(element, 'BcCo') ?? ''}' bestaat niet.`,
            en: `Organisation '${text(element, 'BcCo') ?? ''}' does not exist.`,
          });
        if (!text(element, 'Nm'))
          reject({
            nl: "Het veld 'Naam' (Nm) is verplicht voor een nieuwe organisatie.",
            en: "The field 'Naam' (Nm) is mandatory for a new organisation.",
          });
        const code = text(element, 'BcCo');
        const autoNum = bool(element, 'AutoNum') ?? !code;
        if (!autoNum && !code)
          reject({
            nl: "Het veld 'Nummer' (BcCo) is verplicht als autonummering uit staat.",
            en: "The field 'Nummer' (BcCo) is mandatory when automatic numbering is off.",
          });
        if (
          !autoNum &&
          code &&
          (demo.index.persons.has(code.toUpperCase()) || demo.index.organisations.has(code.toUpperCase()))
        ) {
          reject({ nl: `Nummer '${code}' is al in gebruik.`, en: `Number '${code}' is already in use.` });
        }
      } else if (has(element, 'Nm') && !text(element, 'Nm')) {
        reject({ nl: "Het veld 'Naam' (Nm) mag niet leeg zijn.", en: "The field 'Naam' (Nm) may not be empty." });
      }
      checkAddresses(element);
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const now = demo.now();
        let organisation = text(element, 'MatchOga') === '6' ? undefined : matchOrganisation(demo, element);
        if (!organisation) {
          const code = text(element, 'BcCo');
          const autoNum = bool(element, 'AutoNum') ?? !code;
          organisation = {
            bcId: demo.data.next.bcId++,
            bcCo: autoNum || !code ? nextCode(demo) : code,
            name: '',
            searchName: null,
            cocNumber: null,
            legalForm: null,
            phone: null,
            mail: null,
            homepage: null,
            note: null,
            revenue: null,
            addressId: null,
            postAddressId: null,
            employerId: null,
            blocked: false,
            createDate: now,
            modifiedDate: now,
          };
          demo.data.organisations.push(organisation);
        }
        const o = organisation;
        const name = text(element, 'Nm');
        if (name) o.name = name;
        assign(o, 'searchName', text(element, 'SeNm'));
        assign(o, 'cocNumber', text(element, 'CcNr'));
        assign(o, 'legalForm', text(element, 'ViLe'));
        assign(o, 'phone', text(element, 'TeNr'));
        assign(o, 'mail', text(element, 'EmAd'));
        assign(o, 'homepage', text(element, 'HoPa'));
        assign(o, 'note', text(element, 'Re'));
        applyAddresses(demo, element, o, now);
        o.modifiedDate = now;
        demo.changed();
        return { BcCo: o.bcCo, BcId: String(o.bcId) };
      }),
    );
  },
};
