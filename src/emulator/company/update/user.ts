/**
 * KnUser: Profit users, fields as in the OAS schemas `KnUser_POST`/`KnUser_PUT`. The mutation code `MtCd` says
 * what happens (OAS text):
 *
 *   0 = block the user and remove it from every group except Iedereen; 1 = add or update the user, the group must
 *   exist; 2 = block the user and remove it from the given group; 3 = like 1, creating the group when missing;
 *   4 = change the user code (to `UsIdNew`); 5 = change the password; 6 = unblock the user.
 *
 * POST and PUT behave alike (the OAS shows both methods with the same mutation codes). Codes other than 1 and 3
 * need an existing user. unconfirmed: the `results` value; AFAS documents none for KnUser, the emulator answers
 * the user code, as other connectors answer their key.
 */

import type { UserRecord } from '../data.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import { assign, bool, codes, field, lastResult, reject, text } from './common.js';

const MUTATION_CODES = codes(
  '0 = Gebruiker blokkeren en verwijderen van alle groepen behalve Iedereen;' +
    '1 = Gebruiker toegevoegen/bijwerken en Groep moet bestaan;2 = Gebruiker blokkeren en verwijderen bij de groepen;' +
    '3 = Groep wordt aangemaakt als deze niet bestaat;4 = Gebruiker code wordt aangepast;5 = Wijzig wachtwoord;' +
    '6 = Gebruiker deblokkeren;',
);

const SITE_LANGUAGES = codes(
  '1031 = Duitse site;1036 = Franse site;1043 = Nederlandse site;2057 = Engelse site;2067 = Vlaamse site;',
);

function groupsOf(store: DemoStore): Set<string> {
  return new Set(store.data.users.flatMap((u) => u.groups.map((g) => g.toUpperCase())));
}

function userOf(store: DemoStore, element: UpdateElement): UserRecord | undefined {
  const id = text(element, 'UsId');
  return id ? store.index.users.get(id.toUpperCase()) : undefined;
}

function checkElement(store: DemoStore, element: UpdateElement, knownGroups: Set<string>): void {
  const code = text(element, 'MtCd') ?? '1';
  const id = text(element, 'UsId');
  if (!id)
    reject({ nl: "Het veld 'Gebruiker' (UsId) is verplicht.", en: "The field 'Gebruiker' (UsId) is mandatory." });
  const existing = userOf(store, element);
  if (!existing && code !== '1' && code !== '3')
    reject({ nl: `Gebruiker '${id}' bestaat niet.`, en: `User '${id}' does not exist.` });
  const group = text(element, 'GrId');
  if (group && code === '1' && !knownGroups.has(group.toUpperCase()))
    reject({ nl: `Groep '${group}' bestaat niet.`, en: `Group '${group}' does not exist.` });
  if (code === '2' && !group)
    reject({
      nl: 'Geef de groep op (GrId) waaruit de gebruiker verwijderd wordt.',
      en: 'Give the group (GrId) the user is removed from.',
    });
  if (code === '4') {
    const next = text(element, 'UsIdNew');
    if (!next)
      reject({
        nl: "Het veld 'Nieuwe gebruikerscode' (UsIdNew) is verplicht bij mutatiecode 4.",
        en: "The field 'Nieuwe gebruikerscode' (UsIdNew) is mandatory with mutation code 4.",
      });
    const other = store.index.users.get(next.toUpperCase());
    if (other && other !== existing)
      reject({ nl: `Gebruiker '${next}' bestaat al.`, en: `User '${next}' already exists.` });
  }
  const person = text(element, 'BcCo');
  if (person && !store.index.persons.has(person.toUpperCase()))
    reject({ nl: `Persoon '${person}' bestaat niet.`, en: `Person '${person}' does not exist.` });
  if (!existing && !text(element, 'Nm'))
    reject({
      nl: "Het veld 'Omschrijving' (Nm) is verplicht voor een nieuwe gebruiker.",
      en: "The field 'Omschrijving' (Nm) is mandatory for a new user.",
    });
}

export const knUser: UpdateConnectorDef = {
  id: 'KnUser',
  description: 'Gebruiker',
  name: 'KnUser',
  methods: ['POST', 'PUT'],
  fields: [
    field('MtCd', 'string', 'Mutatiecode', { length: 1, mandatory: true, values: MUTATION_CODES }),
    field('GrId', 'string', 'Groep', { length: 20 }),
    field('GrDs', 'string', 'Groep omschrijving', { length: 50 }),
    field('BcCo', 'string', 'Persoon code', { length: 15 }),
    field('UsIdNew', 'string', 'Nieuwe gebruikerscode', { length: 80 }),
    field('UsId', 'string', 'Gebruiker', { length: 80, key: true, mandatory: true }),
    field('Nm', 'string', 'Omschrijving', { length: 80 }),
    field('Awin', 'boolean', 'Profit Windows'),
    field('Site', 'boolean', 'OutSite'),
    field('EmAd', 'string', 'E-mail', { length: 255 }),
    field('XOEA', 'string', 'Afwijkend e-mailadres', { length: 255 }),
    field('InSi', 'boolean', 'InSite'),
    field('Upn', 'string', 'UPN', { length: 255 }),
    field('InLn', 'string', 'Voorkeur site', { length: 20, values: SITE_LANGUAGES }),
    field('CAId', 'string', 'OAuth Id', { length: 255 }),
    field('CANm', 'string', 'OAuth account', { length: 255 }),
    field('OcUs', 'boolean', 'Meewerklicentie activeren'),
    field('PoMa', 'boolean', 'Beheerder AFAS Online Portal'),
    field('AcUs', 'boolean', 'AFAS Accept'),
  ],
  objects: [],
  check(_method, elements, store) {
    const demo = store as DemoStore;
    const known = groupsOf(demo);
    for (const element of elements) {
      checkElement(demo, element, known);
      // A group created by code 3 exists for the elements after it.
      const group = text(element, 'GrId');
      if (group && text(element, 'MtCd') === '3') known.add(group.toUpperCase());
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const code = text(element, 'MtCd') ?? '1';
        const id = text(element, 'UsId') ?? '';
        const now = demo.now();
        let user = userOf(demo, element);
        if (!user) {
          user = {
            userId: id,
            name: '',
            personBcCo: null,
            groups: ['Iedereen'],
            email: null,
            upn: null,
            profitWindows: false,
            inSite: false,
            outSite: false,
            language: '1043',
            blocked: false,
            modifiedDate: now,
          };
          demo.data.users.push(user);
        }
        const u = user;
        const nm = text(element, 'Nm');
        if (nm) u.name = nm;
        const person = text(element, 'BcCo');
        if (person !== undefined) u.personBcCo = person;
        assign(u, 'email', text(element, 'EmAd'));
        assign(u, 'upn', text(element, 'Upn'));
        assign(u, 'language', text(element, 'InLn'));
        assign(u, 'profitWindows', bool(element, 'Awin'));
        assign(u, 'inSite', bool(element, 'InSi'));
        assign(u, 'outSite', bool(element, 'Site'));
        const group = text(element, 'GrId');
        switch (code) {
          case '0':
            u.blocked = true;
            u.groups = ['Iedereen'];
            break;
          case '2':
            u.blocked = true;
            u.groups = u.groups.filter((g) => g.toUpperCase() !== group?.toUpperCase());
            break;
          case '4':
            u.userId = text(element, 'UsIdNew') ?? u.userId;
            break;
          case '6':
            u.blocked = false;
            break;
          default:
            if (group && !u.groups.some((g) => g.toUpperCase() === group.toUpperCase())) u.groups.push(group);
        }
        u.modifiedDate = now;
        demo.changed();
        return { UsId: u.userId };
      }),
    );
  },
};
