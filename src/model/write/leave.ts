/**
 * HrAbsenceID: leave bookings addressed by their line number `Id`. Create (also several in one call), change
 * with only `Id` and the changed fields (endpoint-hrabsenceid-put.md), delete with the multi-key URL
 * `/connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/{Id},{EmId}`.
 */
import { Input, Writes } from '../../graphql/write/index.js';
import { Leave } from '../leave.js';

@Writes({
  connector: 'HrAbsenceID',
  entity: () => Leave,
  key: { leaveId: 'Id' },
  operations: ['create', 'update', 'delete'],
  bulk: { match: { employeeId: 'employeeId', leaveTypeId: 'leaveTypeId', startDate: 'start' } },
})
export class LeaveWrite {
  @Input('Id', 'int', { key: true, on: ['update'], description: 'The leave booking (line number).' })
  leaveId?: string;

  @Input('EmId', 'string', { length: 15, key: true, mandatory: true })
  employeeId?: string | null;

  @Input('ViAt', 'string', { length: 20, mandatory: true, description: 'The leave type (V, BV, ADV…).' })
  leaveTypeId?: string | null;

  // Moments: HrAbsence's DaBe / DaEn are `format: date-time` (verlof-en-ziekte.json).
  @Input('DaBe', 'datetime', {
    mandatory: true,
    description: 'Start; the time counts only for partial leave (partial: true).',
  })
  start?: Date | null;

  @Input('DaEn', 'datetime', { mandatory: true, description: 'End; the time counts only for partial leave.' })
  end?: Date | null;

  @Input('ViLr', 'string', { length: 20, oneOf: 'environment', description: 'The reason.' })
  reasonId?: string | null;

  @Input('EnSe', 'int', { description: 'The employment (dienstverband) number.' })
  employment?: number | null;

  @Input('DuRa', 'int', { description: 'Hours; derived by Profit when not given.' })
  hours?: number | null;

  @Input('EmRp', 'string', { length: 15, description: 'The substitute (an employee id).' })
  substituteId?: string | null;

  @Input('Re', 'string')
  remark?: string | null;

  @Input('LeDt', 'boolean', { description: 'Partial leave: false when it consists of full days only.' })
  partial?: boolean | null;

  @Input('DuBe', 'int', { description: 'Leave on the start date in minutes (partial leave).' })
  minutesStart?: number | null;

  @Input('DuEn', 'int', { description: 'Leave on the end date in minutes (partial leave).' })
  minutesEnd?: number | null;

  @Input('PaTs', 'int', { description: 'Break on the start date in minutes.' })
  breakStart?: number | null;

  @Input('PaTe', 'int', { description: 'Break on the end date in minutes.' })
  breakEnd?: number | null;

  @Input('ReLe', 'string', {
    length: 20,
    // AFAS documents 7 codes (HrAbsenceID in verlof-en-ziekte.json); the environment's own table decides.
    oneOf: 'environment',
    description: "Reason code of special leave ('VF').",
  })
  specialLeaveReason?: string | null;
}
