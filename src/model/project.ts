/** Projects (`Profit_Projects`, AFAS's standard GetConnector). */
import { Bound, Entity, Relation } from '../graphql/binding.js';
import { Organisation } from './organisation.js';

@Entity({ connector: 'Profit_Projects', key: ['projectId'], description: 'A project.' })
export class Project {
  @Bound('ProjectId', 'string')
  projectId!: string;

  @Bound('Description', 'string')
  description!: string | null;

  @Bound('UnitId', 'int', { description: 'The project administration.' })
  unitId!: number | null;

  @Bound('ProjectGroup', 'string')
  projectGroup!: string | null;

  @Bound('CheckedOut', 'boolean', { description: 'Completed.' })
  completed!: boolean | null;

  @Bound('BcCo', 'string', { description: 'The organisation (or person) number the project is for.' })
  organisationId!: string | null;

  @Bound('DebtorId', 'string')
  debtorId!: string | null;

  // Days: PtProject's DaSt / DtGw are `format: date` (projecten-en-nacalculatie.json).
  @Bound('DateStart', 'date')
  dateStart!: string | null;

  @Bound('DateReady', 'date')
  dateReady!: string | null;

  @Bound('Chargeable', 'boolean')
  chargeable!: boolean | null;

  @Bound('CreateDate', 'datetime')
  createdAt!: Date | null;

  @Bound('ModifiedDate', 'datetime')
  modifiedAt!: Date | null;

  @Relation(() => Organisation, { on: { organisationId: 'organisationId' } })
  organisation?: Organisation | null;
}
