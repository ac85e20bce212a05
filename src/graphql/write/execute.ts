/**
 * What a mutation does: validate (every issue, nothing sent on any; codes of the environment's own tables against
 * its cached `metainfo/update`), translate, make exactly one UpdateConnector
 * call (never retried: the client does not repeat writes), then read the written record back through its
 * GetConnector with the key Profit returned, after dropping it from the request's loader caches, so the answer is
 * the record as Profit now has it and never a row read earlier in the same request.
 */
import { DateTime } from 'luxon';
import {
  chunkFilterGroups,
  type FilterGroup,
  PROFIT_TIME_ZONE,
  ProfitDecimal,
  type UpdateConnectorMetainfo,
  type UpdateResult,
} from '../../profit/index.js';
import { type EntityBinding, normalizeKey } from '../binding.js';
import type { RequestContext } from '../context.js';
import { translatedWrite, type WriteContext, writtenNotReadBack } from '../errors.js';
import { type AppendOptions, shapeOf, type WriteBinding, writtenEntities } from './binding.js';
import { keyDecls, keyOfResult, toAppendElement, toDeleteKeys, toElement, updateKeyDecls } from './element.js';
import type { WriteTypes } from './types.js';
import {
  type InputFindings,
  type InputIssue,
  inspectInput,
  validateCodes,
  validateKeys,
  WriteInputError,
} from './validate.js';

type Args = Readonly<Record<string, unknown>>;

function refuse(issues: readonly InputIssue[]): void {
  if (issues.length > 0) throw new WriteInputError(issues);
}

/**
 * Refuses a write with issues, after checking its codes against the environment's own tables: the connector's
 * `GET /metainfo/update/{id}` is read only when the input carries such a code, once per credential and TTL (cached
 * with the grant), and nothing is sent while any issue remains. So a code the environment knows is accepted even if
 * no list here has it, and one it lacks is BAD_USER_INPUT instead of Profit's rejection.
 */
async function refuseInvalid(types: WriteTypes, found: InputFindings, ctx: RequestContext): Promise<void> {
  const { codes } = found;
  let issues: readonly InputIssue[] = found.issues;
  if (codes.length > 0) {
    let metainfo: UpdateConnectorMetainfo | undefined;
    try {
      metainfo = await ctx.auth.store.updateMetainfo(ctx.client, types.binding.connector);
    } catch (error) {
      // Nothing was sent either way; the caller's own issues come first, else the failure is the answer.
      if (issues.length === 0) throw error;
    }
    if (metainfo) issues = [...issues, ...validateCodes(codes, metainfo, types.binding.connector)];
  }
  refuse(issues);
}

function keyArgsText(args: Args, properties: readonly string[]): string {
  return properties.map((p) => `${p}: ${JSON.stringify(String(args[p] ?? '…'))}`).join(', ');
}

function lookup(entity: EntityBinding, args: Args, properties: readonly string[]): string {
  return entity.queries ? `${entity.queries.one}(${keyArgsText(args, properties)})` : `the ${entity.name}`;
}

function context(types: WriteTypes, method: WriteContext['method'], howToCheck: string): WriteContext {
  return { connector: types.binding.connector, method, howToCheck };
}

/** Reads the written record back by its entity key (after forgetting what the request had read of it). */
async function readBack(
  types: WriteTypes,
  write: WriteContext,
  key: readonly string[] | undefined,
  ctx: RequestContext,
): Promise<object> {
  const { entity } = types;
  const keyRecord = key && Object.fromEntries(entity.key.map((k, i) => [k, key[i] as string]));
  if (!key) throw writtenNotReadBack(write, entity.name, undefined);
  ctx.loaders.forget(entity, key);
  let row: object | null;
  try {
    row = await ctx.loaders.entity(entity).load(key);
  } catch (error) {
    throw writtenNotReadBack(write, entity.name, keyRecord, error);
  }
  if (!row) throw writtenNotReadBack(write, entity.name, keyRecord);
  return row;
}

/**
 * The one UpdateConnector call of a write, its failure translated; then the request's write listener (the response
 * cache), also after a failure, since a timed-out or cut-off call may have written.
 */
async function sendWrite<T>(
  types: WriteTypes,
  write: WriteContext,
  ctx: RequestContext,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await translatedWrite(write, call);
  } finally {
    await ctx.onWrite?.(writtenEntities(types.binding));
  }
}

const updateKeys = (binding: WriteBinding) => new Set(Object.values(binding.key));

/** `createX(input)`: one POST. */
export async function createOne(types: WriteTypes, input: object, ctx: RequestContext): Promise<object> {
  const { binding, entity } = types;
  await refuseInvalid(types, inspectInput(input, binding.shape, 'create', ['input']), ctx);
  const element = toElement(input, binding.shape, 'create', binding.constants.create);
  const list = entity.queries ? entity.queries.list : entity.name;
  const write = context(
    types,
    'POST',
    `query ${list} with a where on the values you sent, to see whether the new ${entity.name} exists`,
  );
  const result = await sendWrite(types, write, ctx, () =>
    ctx.client.insert(binding.connector, element, { root: binding.root }),
  );
  return readBack(types, write, keyOfResult(binding, entity.key, result, input as Args), ctx);
}

/** `updateX(input)`: one PUT with the key and the given fields only. */
export async function updateOne(types: WriteTypes, input: object, ctx: RequestContext): Promise<object> {
  const { binding, entity } = types;
  const options = { updateKeys: updateKeys(binding) };
  await refuseInvalid(types, inspectInput(input, binding.shape, 'update', ['input'], options), ctx);
  const element = toElement(input, binding.shape, 'update', binding.constants.update);
  const keyProps = updateKeyDecls(binding).map((d) => d.property);
  const write = context(
    types,
    'PUT',
    `query ${lookup(entity, input as Args, keyProps)} and compare it with what you sent`,
  );
  const result = await sendWrite(types, write, ctx, () =>
    ctx.client.update(binding.connector, element, { root: binding.root }),
  );
  return readBack(types, write, keyOfResult(binding, entity.key, result, input as Args), ctx);
}

/** `deleteX(keys)`: one DELETE on `/connectors/{C}/{C}/@K1,@K2/{v1},{v2}`; returns the deleted key. */
export async function deleteOne(types: WriteTypes, args: Args, ctx: RequestContext): Promise<object> {
  const { binding, entity } = types;
  const decls = keyDecls(binding.shape);
  refuse(validateKeys(args, decls));
  const keys = toDeleteKeys(args, decls);
  const entityKeyProps = entity.key;
  const write = context(
    types,
    'DELETE',
    `query ${lookup(
      entity,
      args,
      entityKeyProps.filter((p) => p in args),
    )}: null means the delete took effect`,
  );
  await sendWrite(types, write, ctx, () => ctx.client.delete(binding.connector, keys));
  const entityKey = entityKeyProps.map((p) => args[p]);
  ctx.loaders.forget(entity, entityKey.every((v) => v !== undefined) ? (entityKey as string[]) : undefined);
  return Object.fromEntries(decls.map((d) => [d.property, keys[d.fieldId]]));
}

/**
 * `appendX(keys, items)`: one POST to the sub-object URL (`/connectors/KnSubject/KnSubjectAttachment`) with the
 * main record's key and the new sub-object elements; returns the main record read back.
 */
export async function appendTo(
  types: WriteTypes,
  append: AppendOptions,
  args: Args,
  ctx: RequestContext,
): Promise<object> {
  const { binding, entity } = types;
  const nested = binding.shape.nested.find((n) => n.property === append.nested);
  if (!nested) throw new Error(`${append.name}: no nested ${append.nested}`);
  const decls = updateKeyDecls(binding);
  const items = (args[append.nested] ?? []) as object[];
  const shape = shapeOf(nested.target());
  const found: InputFindings = { issues: validateKeys(args, decls), codes: [] };
  items.forEach((item, i) => {
    // The items are sub-object elements: their codes sit in that object of the metainfo.
    const one = inspectInput(item, shape, 'create', [append.nested, i], { objects: [nested.object] });
    found.issues.push(...one.issues);
    found.codes.push(...one.codes);
  });
  await refuseInvalid(types, found, ctx);
  const element = toAppendElement(args, decls, { object: nested.object, shape, constants: nested.constants }, items);
  const keyProps = decls.map((d) => d.property);
  const write = context(types, 'POST', `query ${lookup(entity, args, keyProps)} and look for what you added`);
  const result = await sendWrite(types, write, ctx, () =>
    ctx.client.insert(binding.connector, element, { subObject: nested.object, root: binding.root }),
  );
  return readBack(types, write, keyOfResult(binding, entity.key, result, args), ctx);
}

/**
 * `createXs(inputs)`: every record in one POST with `Element` as an array. Profit checks the whole body and
 * processes it as one transaction (update-connector.md): one invalid element and nothing is written. Profit's
 * answer holds the key of the last element only, so the rows are found again by the values sent (see
 * `BulkOptions.match`): one filter group per input, at most the returned key, the newest match per input.
 */
export async function createMany(types: WriteTypes, inputs: readonly object[], ctx: RequestContext): Promise<object[]> {
  const { binding, entity } = types;
  if (inputs.length === 0) return [];
  const found: InputFindings = { issues: [], codes: [] };
  inputs.forEach((input, i) => {
    const one = inspectInput(input, binding.shape, 'create', ['inputs', i]);
    found.issues.push(...one.issues);
    found.codes.push(...one.codes);
  });
  await refuseInvalid(types, found, ctx);
  const elements = inputs.map((input) => toElement(input, binding.shape, 'create', binding.constants.create));
  const list = entity.queries ? entity.queries.list : entity.name;
  const write = context(
    types,
    'POST',
    `query ${list} with a where on the values you sent, to see whether the new rows exist (all or none of them)`,
  );
  const result = await sendWrite(types, write, ctx, () =>
    ctx.client.insert(binding.connector, elements, { root: binding.root }),
  );
  if (inputs.length === 1) {
    return [await readBack(types, write, keyOfResult(binding, entity.key, result, inputs[0] as Args), ctx)];
  }
  return findCreated(types, write, inputs, result, ctx);
}

function amsterdamDay(value: Date): { start: Date; end: Date } {
  const day = DateTime.fromJSDate(value, { zone: PROFIT_TIME_ZONE }).startOf('day');
  return { start: day.toJSDate(), end: day.plus({ days: 1 }).toJSDate() };
}

function sameValue(dataType: string, rowValue: unknown, inputValue: unknown): boolean {
  if (rowValue === null || rowValue === undefined) return inputValue === null || inputValue === undefined;
  if (dataType === 'datetime' && rowValue instanceof Date && inputValue instanceof Date) {
    const { start, end } = amsterdamDay(inputValue);
    return rowValue >= start && rowValue < end;
  }
  if (rowValue instanceof ProfitDecimal || inputValue instanceof ProfitDecimal) {
    return String(rowValue) === String(inputValue);
  }
  return normalizeKey(rowValue) === normalizeKey(inputValue);
}

async function findCreated(
  types: WriteTypes,
  write: WriteContext,
  inputs: readonly object[],
  result: UpdateResult,
  ctx: RequestContext,
): Promise<object[]> {
  const { binding, entity } = types;
  const lastKey = keyOfResult(binding, entity.key, result, {});
  const keyProperty = entity.key[0] as string;
  const keyField = entity.fields.get(keyProperty);
  const match = binding.bulk?.match ?? {};
  const last = Number(lastKey?.[0]);
  const fail = (cause?: Error) =>
    writtenNotReadBack(write, `${entity.name} rows`, lastKey ? { [keyProperty]: String(last) } : undefined, cause);
  if (!keyField || entity.key.length !== 1 || !Number.isSafeInteger(last)) throw fail();
  const groups: FilterGroup[] = inputs.map((input) => {
    const conditions: FilterGroup[number][] = [{ field: keyField.connectorField, op: 'lte', value: last }];
    for (const [property, inputProperty] of Object.entries(match)) {
      const field = entity.fields.get(property);
      const value = (input as Args)[inputProperty];
      if (!field || value === undefined || value === null) continue;
      if (field.dataType === 'datetime' && value instanceof Date) {
        const { start, end } = amsterdamDay(value);
        conditions.push({ field: field.connectorField, op: 'gte', value: start });
        conditions.push({ field: field.connectorField, op: 'lt', value: end });
      } else {
        conditions.push({ field: field.connectorField, op: 'eq', value: value as string | number | boolean });
      }
    }
    return conditions;
  });
  ctx.loaders.forget(entity);
  let rows: Record<string, unknown>[];
  try {
    const queries = chunkFilterGroups({ orderBy: [{ field: keyField.connectorField, descending: true }] }, groups);
    const pages = await Promise.all(
      queries.map((q) => ctx.loaders.page<Record<string, unknown>>(entity, { ...q, take: inputs.length * 20 })),
    );
    rows = pages.flat().sort((a, b) => Number(b[keyProperty]) - Number(a[keyProperty]));
  } catch (error) {
    throw fail(error instanceof Error ? error : undefined);
  }
  // Elements are inserted in order, so their keys ascend: the last input has the returned key, each earlier one
  // the newest matching row below the next one's.
  const out: object[] = new Array(inputs.length);
  let bound = last;
  for (let i = inputs.length - 1; i >= 0; i--) {
    const input = inputs[i] as Args;
    const row = rows.find(
      (r) =>
        Number(r[keyProperty]) <= bound &&
        Object.entries(match).every(([property, inputProperty]) =>
          sameValue(entity.fields.get(property)?.dataType ?? 'string', r[property], input[inputProperty]),
        ),
    );
    if (!row) throw fail();
    out[i] = row;
    bound = Number(row[keyProperty]) - 1;
  }
  return out;
}
