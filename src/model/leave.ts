/** Leave bookings (`Profit_Leaves`, AFAS's standard GetConnector). */
import { Bound, Entity, Relation } from '../graphql/binding.js';
import { Employee } from './employee.js';

@Entity({ connector: 'Profit_Leaves', key: ['leaveId'], description: 'A leave booking.' })
export class Leave {
  @Bound('LeaveId', 'int')
  leaveId!: number;

  @Bound('EmployeeId', 'string')
  employeeId!: string | null;

  @Bound('Name', 'string', { description: "The employee's name." })
  name!: string | null;

  @Bound('Hours', 'int')
  hours!: number | null;

  // Moments: HrAbsence's DaBe / DaEn are `format: date-time` (verlof-en-ziekte.json); partial leave has times.
  @Bound('StartDate', 'datetime')
  startDate!: Date | null;

  @Bound('EndDate', 'datetime')
  endDate!: Date | null;

  @Bound('DvId', 'int', { description: 'The employment (dienstverband) number.' })
  employment!: number | null;

  @Bound('LeaveCode', 'string')
  leaveTypeId!: string | null;

  @Bound('LeaveDescr', 'string')
  leaveType!: string | null;

  @Bound('ReasonCode', 'string')
  reasonId!: string | null;

  @Bound('ReasonDescr', 'string')
  reason!: string | null;

  @Bound('ModifiedDate', 'datetime')
  modifiedAt!: Date | null;

  @Relation(() => Employee, { on: { employeeId: 'employeeId' } })
  employee?: Employee | null;
}
