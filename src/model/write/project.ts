/** PtProject: create, change and delete projects, with their location address. */
import { Input, Nested, Writes } from '../../graphql/write/index.js';
import { Project } from '../project.js';
import { AddressInput } from './address.js';

@Writes({
  connector: 'PtProject',
  entity: () => Project,
  key: { projectId: 'PrId' },
  operations: ['create', 'update', 'delete'],
})
export class ProjectWrite {
  @Input('PrId', 'string', {
    length: 15,
    key: true,
    description: 'The project number; on create, leave it out to let Profit number the project.',
  })
  projectId?: string | null;

  @Input('PrGp', 'string', { length: 15, requiredOnCreate: true, description: 'Needed for a new project.' })
  projectGroup?: string | null;

  @Input('Ds', 'string', { length: 100 })
  description?: string | null;

  @Input('BcCo', 'string', { length: 15, description: 'The organisation or person the project is for.' })
  organisationId?: string | null;

  @Input('EmId', 'string', { length: 15, description: 'The internal project manager (an employee id).' })
  managerId?: string | null;

  @Input('DpId', 'string', { length: 10 })
  departmentId?: string | null;

  @Input('UnFi', 'int', { description: 'The administration.' })
  unitId?: number | null;

  @Input('DbId', 'string', { length: 16 })
  debtorId?: string | null;

  @Input('DaSt', 'date')
  dateStart?: string | null;

  @Input('DtGp', 'date', { description: 'Planned end.' })
  datePlannedReady?: string | null;

  @Input('DtGw', 'date', { description: 'Actual end.' })
  dateReady?: string | null;

  @Input('ClRe', 'string', { length: 100, description: "The customer's reference." })
  customerReference?: string | null;

  @Input('ChOu', 'boolean')
  completed?: boolean | null;

  @Input('PrSt', 'string', { length: 15 })
  status?: string | null;

  @Input('Ch', 'boolean')
  chargeable?: boolean | null;

  @Input('OvPc', 'decimal', { decimals: 2, description: 'Overhead percentage.' })
  overheadPercentage?: unknown;

  @Input('SaFc', 'decimal', { decimals: 2, description: 'Total contract sum.' })
  contractSum?: unknown;

  @Input('PrTy', 'enum', {
    length: 20,
    enumName: 'ProjectType',
    values: { PROJECT: '0', CUSTOMER_AGREEMENT: '1', WORK_ORDER: '2', SERVICE: '3' },
  })
  type?: string | null;

  @Input('Re', 'string')
  remark?: string | null;

  @Nested('KnBasicAddressAdr', () => AddressInput, { description: 'The project location.' })
  address?: AddressInput | null;
}
