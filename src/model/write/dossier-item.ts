/**
 * KnSubject: dossier items with their links (KnSubjectLink) and attachments (KnSubjectAttachment): create,
 * change, delete, and add attachments to an existing item through the sub-object URL.
 */
import { Input, Nested, Writes } from '../../graphql/write/index.js';
import { DossierItem } from '../dossier-item.js';

/**
 * What a dossier item is linked to. Set one of the flags with `organisationOrPersonId`, or `projectId`, or a
 * `destinationType` with `destinationId`: an organisation or person (`toOrganisationOrPerson`), an employee
 * (`toEmployee`, with the employee's person number), an employer (`toEmployer`), a project.
 */
export class DossierItemLinkInput {
  @Input('ToBC', 'boolean')
  toOrganisationOrPerson?: boolean | null;

  @Input('ToEm', 'boolean')
  toEmployee?: boolean | null;

  @Input('ToEr', 'boolean')
  toEmployer?: boolean | null;

  @Input('BcId', 'string', { length: 15, description: 'The organisation or person number.' })
  organisationOrPersonId?: string | null;

  @Input('PjId', 'string', { length: 15 })
  projectId?: string | null;

  @Input('SfTp', 'enum', {
    length: 20,
    enumName: 'DossierDestinationType',
    values: {
      NONE: '1',
      EMPLOYEE: '2',
      ORGANISATION_OR_PERSON: '3',
      SALES_RELATION: '4',
      CLIENT_IB: '8',
      CLIENT_VPB: '9',
      EMPLOYER: '10',
      PURCHASE_RELATION: '11',
      APPLICANT: '17',
      CLIENT_OB: '66',
    },
  })
  destinationType?: string | null;

  @Input('SfId', 'string', { length: 50, description: 'The destination (with destinationType).' })
  destinationId?: string | null;

  @Input('DoCRM', 'boolean', { description: 'Save in the CRM dossier.' })
  saveInCrmDossier?: boolean | null;
}

/**
 * A file to attach: its name and its content in base64 (Profit's FileStream), or the id of a file Profit already
 * has. One request carries at most 75 MB including attachments (compress larger files into a zip).
 */
export class DossierItemFileInput {
  @Input('FileName', 'string', { length: 255, mandatory: true })
  fileName!: string;

  @Input('FileStream', 'blob', { description: 'The file content.' })
  data?: string | null;

  @Input('FileId', 'string', { length: 32, description: 'A file Profit already has, instead of data.' })
  fileId?: string | null;
}

@Writes({
  connector: 'KnSubject',
  entity: () => DossierItem,
  key: { dossierItemId: 'SbId' },
  operations: ['create', 'update', 'delete'],
  append: [
    {
      name: 'addDossierItemAttachments',
      nested: 'attachments',
      description:
        'Adds files to an existing dossier item with a POST to KnSubject/KnSubjectAttachment (the sub-object URL).',
    },
  ],
})
export class DossierItemWrite {
  @Input('SbId', 'int', { key: true, attribute: true, on: ['update'] })
  dossierItemId?: string;

  @Input('StId', 'int', {
    mandatory: true,
    oneOf: 'environment',
    description: "The dossier item type (this environment's own table).",
  })
  typeId?: number | null;

  @Input('Ds', 'string', { length: 255, mandatory: true })
  subject?: string | null;

  @Input('SbTx', 'string', { description: 'The text.' })
  memo?: string | null;

  // Moments: KnSubject's Da, DtFr, DtTo and DtSt are `format: date-time` (dossiers-en-bijlagen-en-workflows.json).
  @Input('Da', 'datetime', { description: 'Entered on.' })
  date?: Date | null;

  @Input('UsId', 'string', { length: 80, description: 'The sender (a user id).' })
  senderId?: string | null;

  @Input('EmId', 'string', { length: 80, description: 'The responsible employee.' })
  responsibleId?: string | null;

  @Input('ViPr', 'enum', { length: 20, enumName: 'DossierItemPriority', values: { HIGH: 'H', NORMAL: 'N', LOW: 'L' } })
  priority?: string | null;

  @Input('DtFr', 'datetime')
  startDate?: Date | null;

  @Input('DtTo', 'datetime')
  endDate?: Date | null;

  @Input('St', 'boolean')
  completed?: boolean | null;

  @Input('DtSt', 'datetime')
  completedOn?: Date | null;

  @Input('FvF1', 'int')
  feature1?: number | null;

  @Input('FvF2', 'int')
  feature2?: number | null;

  @Input('FvF3', 'int')
  feature3?: number | null;

  @Input('SbBl', 'boolean')
  blocked?: boolean | null;

  @Nested('KnSubjectLink', () => DossierItemLinkInput, { list: true })
  links?: DossierItemLinkInput[] | null;

  @Nested('KnSubjectAttachment', () => DossierItemFileInput, { list: true })
  attachments?: DossierItemFileInput[] | null;
}
