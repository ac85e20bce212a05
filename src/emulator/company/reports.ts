/**
 * Reports (ReportConnector): each renders the filtered rows of a GetConnector as a PDF. Report ids in Profit are
 * 32-hex-digit GUIDs; these are fixed so that clients can configure them.
 */
import { encodePdf } from './files/pdf.js';
import { storedFile } from './files/pool.js';
import type { Cell, ReportDef, Row } from './types.js';

export const EMPLOYEE_LIST_REPORT = '5A1B7C3D9E2F40A1B2C3D4E5F6A7B8C9';
export const ORGANISATION_LIST_REPORT = 'C4E1F2A3B4C5D6E7F8091A2B3C4D5E6F';

const show = (value: Cell | undefined): string =>
  value === null || value === undefined ? '-' : String(value).slice(0, 10);
const cut = (value: Cell | undefined, width: number): string =>
  (value == null ? '' : String(value)).slice(0, width).padEnd(width);

function listReport(id: string, description: string, source: string, line: (row: Row) => string): ReportDef {
  return {
    id,
    description,
    source,
    render(rows) {
      const lines = rows.length === 0 ? ['Geen gegevens.'] : rows.map(line);
      return storedFile(`${description}.pdf`, encodePdf({ title: `${description} (${rows.length})`, lines }));
    },
  };
}

export function createReports(): ReportDef[] {
  return [
    listReport(EMPLOYEE_LIST_REPORT, 'Medewerkerslijst', 'Profit_Employees', (r) =>
      [cut(r.EmployeeId, 12), cut(r.Name, 32), cut(r.Function, 26), cut(r.Department, 18), show(r.DateInService)].join(
        ' ',
      ),
    ),
    listReport(ORGANISATION_LIST_REPORT, 'Organisatielijst', 'Profit_Organisations', (r) =>
      [cut(r.BcCo, 10), cut(r.Name, 40), cut(r.City, 24), cut(r.Country, 4)].join(' '),
    ),
  ];
}
