/**
 * The app connectors of the demo environment, each with one demo user (token data derived from the seed, so
 * stable across runs) and one OAuth client:
 *
 * - `admin`: everything: every GetConnector with every field, every UpdateConnector and special connector.
 * - `hr`: HR self-service: employees without pay data (Salary, HourlyRate, Iban), persons, organisations, leave,
 *   dossier items and their attachments, functions and administrations; books leave, adds dossier items, plans
 *   appointments and registers mileage; no projects, no users, no financial entries.
 * - `portal`: a read-only customer portal: organisations, projects, persons without BSN and date of birth, photos.
 */
import { stableHex } from './random.js';
import type { AppConnectorDef, GetConnectorDef, UpdateConnectorDef } from './types.js';

export function createAppConnectors(
  seed: number,
  environment: string,
  getConnectors: readonly GetConnectorDef[],
  updateConnectors: readonly UpdateConnectorDef[],
): AppConnectorDef[] {
  const user = (name: string, description: string) => ({
    name,
    description,
    tokenData: stableHex(64, 'token', seed, name),
    userId: `${environment}.${name}`,
  });
  const client = (app: string) => ({
    clientId: `demo-${app}`,
    clientSecret: stableHex(40, 'oauth', seed, app).toLowerCase(),
    user: app,
  });
  return [
    {
      id: 'admin',
      appName: 'Demo beheer (alles)',
      getConnectors: Object.fromEntries(getConnectors.map((c) => [c.id, []])),
      updateConnectors: updateConnectors.map((c) => c.id),
      subjectConnector: true,
      reportConnector: true,
      fileConnector: true,
      imageConnector: true,
      users: [user('admin', 'Beheerder: leest en schrijft alles, inclusief salarisgegevens, bestanden en rapporten.')],
      oauthClients: [client('admin')],
    },
    {
      id: 'hr',
      appName: 'Demo HR-app',
      getConnectors: {
        Profit_Employees: ['Salary', 'HourlyRate', 'Iban'],
        Profit_Persons: [],
        Profit_Organisations: [],
        Profit_Leaves: [],
        Profit_LeaveBalance: [],
        ProfitSubjects: [],
        Profit_Subject_Attachments: [],
        Profit_Functions: [],
        Profit_Administrations: [],
      },
      updateConnectors: ['HrAbsenceID', 'HrAbsence', 'KnSubject', 'KnAppointment', 'HrMobility'],
      subjectConnector: true,
      reportConnector: true,
      fileConnector: true,
      imageConnector: true,
      users: [
        user(
          'hr',
          'HR-medewerker: leest medewerkers (zonder salaris, uurloon en IBAN), personen, organisaties, verlof en dossiers; ' +
            'boekt verlof, voegt dossieritems met bijlagen toe, plant afspraken en registreert kilometerstanden. ' +
            'Geen projecten, gebruikers of boekingen.',
        ),
      ],
      oauthClients: [client('hr')],
    },
    {
      id: 'portal',
      appName: 'Demo klantportaal',
      getConnectors: {
        Profit_Organisations: [],
        Profit_Projects: [],
        Profit_Persons: ['BSN', 'DateBirth'],
      },
      updateConnectors: [],
      subjectConnector: false,
      reportConnector: false,
      fileConnector: false,
      imageConnector: true,
      users: [
        user('portal', 'Portaal: leest alleen organisaties, projecten en personen (zonder BSN en geboortedatum).'),
      ],
      oauthClients: [client('portal')],
    },
  ];
}
