/**
 * The write declarations agree with Profit's metainfo (`GET /metainfo/update/{id}`, here the emulator's): every
 * declared field and sub-object exists, and data type, mandatory, length, decimals and code table match. So the
 * GraphQL inputs, generated from the declarations, stay true to what the UpdateConnectors accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../src/model/write/index.js';
import {
  type InputDecl,
  type NestedDecl,
  type Shape,
  shapeOf,
  type WriteBinding,
  writeBindings,
} from '../../../src/graphql/write/index.js';
import type { UpdateConnectorField, UpdateConnectorObject } from '../../../src/profit/index.js';
import { type Harness, startHarness } from '../helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());

/** Every disagreement between a declaration and the metainfo object it writes. */
function disagreements(
  shape: Shape,
  object: Pick<UpdateConnectorObject, 'name' | 'fields' | 'objects'>,
  constants: Readonly<Record<string, unknown>>,
  where: string,
): string[] {
  const out: string[] = [];
  const byId = new Map(object.fields.map((f) => [f.fieldId, f]));
  for (const decl of shape.fields)
    out.push(...fieldDisagreements(decl, byId.get(decl.fieldId), `${where}.${decl.property}`));
  for (const id of Object.keys(constants)) {
    if (!byId.has(id)) out.push(`${where}: constant ${id} is not a field of ${object.name}`);
  }
  // A field Profit needs on insert must be declared or sent as a constant, or a create could never succeed.
  for (const f of object.fields) {
    if (f.mandatory && !shape.fields.some((d) => d.fieldId === f.fieldId) && !(f.fieldId in constants)) {
      out.push(`${where}: mandatory field ${f.fieldId} of ${object.name} is neither declared nor a constant`);
    }
  }
  for (const n of shape.nested) out.push(...nestedDisagreements(n, object, where));
  return out;
}

function nestedDisagreements(n: NestedDecl, parent: Pick<UpdateConnectorObject, 'name' | 'objects'>, where: string) {
  const sub = parent.objects.find((o) => o.name === n.object);
  if (!sub) return [`${where}.${n.property}: ${parent.name} has no sub-object ${n.object}`];
  return disagreements(shapeOf(n.target()), sub, n.constants, `${where}.${n.property}`);
}

const DATA_TYPE: Readonly<Record<string, string>> = { enum: 'string', datetime: 'date' };

function fieldDisagreements(decl: InputDecl, f: UpdateConnectorField | undefined, where: string): string[] {
  if (!f) return [`${where}: Profit field ${decl.fieldId} does not exist`];
  const out: string[] = [];
  const expect = (what: string, declared: unknown, profit: unknown) => {
    if (JSON.stringify(declared) !== JSON.stringify(profit)) {
      out.push(
        `${where} (${decl.fieldId}): ${what} is ${JSON.stringify(declared)}, metainfo says ${JSON.stringify(profit)}`,
      );
    }
  };
  expect('data type', DATA_TYPE[decl.kind] ?? decl.kind, f.dataType);
  expect('mandatory', decl.mandatory, f.mandatory);
  if (f.dataType === 'string') expect('length', decl.length, f.length);
  if (f.dataType === 'decimal') expect('decimals', decl.decimals, f.decimals);
  if (decl.key) expect('primary key', decl.key, f.primaryKey);
  const profitCodes = f.values === null ? null : f.values.map((v) => v.id).sort();
  if (decl.kind === 'enum') expect('code table', Object.values(decl.values ?? {}).sort(), profitCodes);
  else if (Array.isArray(decl.oneOf)) expect('code table', [...decl.oneOf].sort(), profitCodes);
  else if (decl.oneOf === 'environment') {
    if (profitCodes === null)
      out.push(`${where} (${decl.fieldId}): declared an environment code table, metainfo has none`);
  } else expect('code table', null, profitCodes);
  return out;
}

describe('write declarations', () => {
  const bindings = (): WriteBinding[] => writeBindings();

  it('cover the UpdateConnectors of the demo', () => {
    expect(
      bindings()
        .map((b) => b.connector)
        .sort(),
    ).toEqual(['HrAbsenceID', 'KnEmployee', 'KnOrganisation', 'KnPerson', 'KnSubject', 'PtProject']);
  });

  it.each(['KnPerson', 'KnOrganisation', 'KnEmployee', 'KnSubject', 'HrAbsenceID', 'PtProject'])(
    '%s: every field, length, decimal, mandatory flag and code table agrees with metainfo/update',
    async (connector) => {
      const binding = bindings().find((b) => b.connector === connector) as WriteBinding;
      const meta = await h.client().updateConnectorMetainfo(connector);
      const constants = { ...binding.constants.create, ...binding.constants.update };
      expect(disagreements(binding.shape, meta, constants, connector)).toEqual([]);
    },
  );

  it('would notice a declaration that drifts from the metainfo', async () => {
    const meta = await h.client().updateConnectorMetainfo('KnPerson');
    const binding = bindings().find((b) => b.connector === 'KnPerson') as WriteBinding;
    const lastName = binding.shape.fields.find((f) => f.fieldId === 'LaNm') as InputDecl;
    const drifted: Shape = {
      ...binding.shape,
      fields: [...binding.shape.fields.filter((f) => f !== lastName), { ...lastName, length: 100 }],
    };
    expect(disagreements(drifted, meta, { MatchPer: '0', AutoNum: true }, 'KnPerson')).toEqual([
      'KnPerson.lastName (LaNm): length is 100, metainfo says 80',
    ]);
    expect(disagreements({ ...binding.shape, fields: [] }, meta, {}, 'KnPerson')).toContain(
      'KnPerson: mandatory field MatchPer of KnPerson is neither declared nor a constant',
    );
  });
});
