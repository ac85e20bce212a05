/** Dossier items (`ProfitSubjects`, AFAS's standard GetConnector without authorisation per item). */
import { Bound, Entity, Relation } from '../graphql/binding.js';
import type { Connection } from '../graphql/connection.js';
import { DossierItemAttachment } from './dossier-item-attachment.js';
import { Organisation } from './organisation.js';
import { Person } from './person.js';

@Entity({ connector: 'ProfitSubjects', key: ['dossierItemId'], description: 'A dossier item (subject).' })
export class DossierItem {
  @Bound('SbId', 'int')
  dossierItemId!: number;

  @Bound('SbTy', 'int', { description: 'The dossier item type.' })
  typeId!: number | null;

  // KnSubject `Da` is a date-time (dossiers-en-bijlagen-en-workflows.json: format date-time).
  @Bound('DaSe', 'datetime', { description: 'Entered on.' })
  date!: Date | null;

  @Bound('Ds', 'string')
  subject!: string | null;

  @Bound('Memo', 'string', { sortable: false })
  memo!: string | null;

  @Bound('Stat', 'string')
  status!: string | null;

  @Bound('DoId', 'int')
  number!: number | null;

  @Bound('FeV1', 'int')
  feature1!: number | null;

  @Bound('FeV2', 'int')
  feature2!: number | null;

  @Bound('FeV3', 'int')
  feature3!: number | null;

  @Bound('BcId', 'int', { description: 'Internal id of the linked organisation or person.' })
  relationInternalId!: number | null;

  @Bound('BcCd', 'string', { description: 'Number (BcCo) of the linked organisation or person.' })
  relationCode!: string | null;

  @Bound('ToEr', 'boolean', { description: 'Linked to an employer.' })
  employerLink!: boolean | null;

  @Relation(() => Organisation, {
    on: { relationCode: 'organisationId' },
    description: 'The organisation the item is about (null when it is about a person).',
  })
  organisation?: Organisation | null;

  @Relation(() => Person, {
    on: { relationCode: 'personId' },
    description: 'The person the item is about (null when it is about an organisation).',
  })
  person?: Person | null;

  @Relation(() => DossierItemAttachment, { on: { dossierItemId: 'dossierItemId' }, list: true })
  attachments?: Connection<DossierItemAttachment> | null;
}
