/**
 * PROFIT_TRANSPORT=soap end to end: the service on the embedded emulator answers a GraphQL query and a mutation with
 * the same data as over REST, and the emulator's log shows the calls went over SOAP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, startTestService } from './helpers.js';

let rest: Service;
let soap: Service;

beforeAll(async () => {
  [rest, soap] = await Promise.all([startTestService(), startTestService({ PROFIT_TRANSPORT: 'soap' })]);
});
afterAll(async () => {
  await Promise.all([rest?.close(), soap?.close()]);
});

const QUERY = `{ projects(first: 5, where: { description: { contains: "e" } }, orderBy: [{ field: projectId, direction: DESC }]) { edges { node { projectId description unitId completed organisationId dateStart dateReady modifiedAt organisation { name } } } } }`;
const CREATE = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { projectId description projectGroup } }`;

describe('PROFIT_TRANSPORT=soap', () => {
  it('answers a query with the data REST gives, read through GetDataWithOptions', async () => {
    const [viaRest, viaSoap] = await Promise.all([
      graphql(rest, QUERY, { authorization: demoAuthorization(rest) }),
      graphql(soap, QUERY, { authorization: demoAuthorization(soap) }),
    ]);
    expect(viaRest.json.errors).toBeUndefined();
    expect(viaRest.json.data.projects.edges).toHaveLength(5);
    expect(viaSoap.json).toEqual(viaRest.json);
    const ops = soap.emulator?.log.entries().map((e) => e.soapOperation ?? `${e.method} ${e.path}`);
    expect(ops).toContain('AppConnectorGet.GetDataWithOptions');
    expect(ops?.filter((o) => /\/connectors\//.test(o))).toEqual([]);
  });

  it('runs a mutation through Execute with the result REST gives', async () => {
    const input = { projectId: 'SOAP-1', description: 'Over SOAP', projectGroup: 'CON' };
    const [viaRest, viaSoap] = await Promise.all([
      graphql(rest, CREATE, { authorization: demoAuthorization(rest), variables: { input } }),
      graphql(soap, CREATE, { authorization: demoAuthorization(soap), variables: { input } }),
    ]);
    expect(viaRest.json.errors).toBeUndefined();
    expect(viaSoap.json).toEqual(viaRest.json);
    expect(soap.emulator?.log.entries().filter((e) => e.soapOperation === 'AppConnectorUpdate.Execute')).toHaveLength(
      1,
    );
  });
});
