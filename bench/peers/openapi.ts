/**
 * An OpenAPI 3 description of a Profit environment's GetConnectors, generated from its metainfo: what a team feeds
 * GraphQL Mesh to get GraphQL over Profit without writing code. It asks `GET /metainfo` for the connectors the
 * credential may read and `GET /metainfo/get/{id}` for each one's fields, and describes `GET /connectors/{id}` with
 * Profit's own query parameters and an answer `{ skip, take, rows: [{ <field>: <type> }] }`. The field types follow
 * metainfo's `dataType` (AFAS's OpenAPI files type GetConnector answers the same way: string, integer, number,
 * boolean; dates as strings). Every field may be null: Profit sends null for an empty field.
 *
 *   node dist/bench/peers/openapi.js <profit base URL> <authorization header> <out.json>
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

interface ConnectorField {
  readonly id: string;
  readonly dataType: string;
  readonly label?: string;
}

/** metainfo's dataType → an OpenAPI schema. Dates stay strings, as Profit sends them (`2025-06-27T00:00:00Z`). */
function schemaOf(field: ConnectorField): Record<string, unknown> {
  const type =
    field.dataType === 'int'
      ? 'integer'
      : field.dataType === 'decimal'
        ? 'number'
        : field.dataType === 'boolean'
          ? 'boolean'
          : 'string';
  return { type, nullable: true, ...(field.label ? { description: field.label } : {}) };
}

const queryParameter = (name: string, type: 'integer' | 'string', description: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type },
  description,
});

/** Profit's GetConnector query parameters (`,` joins AND, `;` OR groups in the three filter lists). */
const PARAMETERS = [
  queryParameter('skip', 'integer', 'rows to skip'),
  queryParameter('take', 'integer', 'rows to return'),
  queryParameter('filterfieldids', 'string', 'field ids to filter on'),
  queryParameter('filtervalues', 'string', 'the filter values, in the same order'),
  queryParameter('operatortypes', 'string', 'the operators (1: equal …), in the same order'),
  queryParameter('orderbyfieldids', 'string', 'field ids to sort on (`-` for descending)'),
];

export async function generateOpenApi(baseUrl: string, authorization: string): Promise<Record<string, unknown>> {
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization, accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return response.json();
  };
  const meta = (await get('/metainfo')) as { getConnectors: { id: string; description: string }[] };
  const paths: Record<string, unknown> = {};
  for (const connector of meta.getConnectors) {
    const info = (await get(`/metainfo/get/${encodeURIComponent(connector.id)}`)) as { fields: ConnectorField[] };
    const row = {
      type: 'object',
      properties: Object.fromEntries(info.fields.map((f) => [f.id, schemaOf(f)])),
    };
    paths[`/connectors/${connector.id}`] = {
      get: {
        operationId: connector.id,
        summary: connector.description,
        parameters: PARAMETERS,
        responses: {
          200: {
            description: 'a page of rows',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    skip: { type: 'integer' },
                    take: { type: 'integer' },
                    rows: { type: 'array', items: row },
                  },
                },
              },
            },
          },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'AFAS Profit GetConnectors (generated from metainfo)', version: '1' },
    servers: [{ url: baseUrl }],
    paths,
  };
}

async function main(): Promise<void> {
  const [baseUrl, authorization, out] = process.argv.slice(2);
  if (!baseUrl || !authorization || !out) {
    throw new Error('usage: openapi.js <profit base URL> <authorization header> <out.json>');
  }
  await writeFile(out, `${JSON.stringify(await generateOpenApi(baseUrl, authorization), null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
