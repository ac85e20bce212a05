/**
 * Validation of a write's input against its declaration, before anything is sent. Pure: input and declaration
 * in, every issue out (not just the first), each with its input path and the rule it broke.
 *
 * GraphQL itself already checks types, non-null fields and enum values; this adds what the schema cannot say:
 * lengths, decimals, code tables offered as strings, empty values for mandatory fields, integer text in IDs,
 * base64. Lengths count UTF-16 code units (JavaScript's `length`), which is what Profit, a .NET application,
 * counts too; a character outside the Basic Multilingual Plane (an emoji) counts as two on both sides.
 * Decimals are checked on the exact text of the `Decimal` scalar, never through a float.
 *
 * Codes of a table the environment holds (`oneOf: 'environment'`) are collected on the way (`inspectInput`)
 * and checked against the connector's live metainfo by `validateCodes`, still pure: the caller fetches the
 * metainfo (once per credential and TTL, with the grant) and hands it over.
 */
import {
  MAX_REQUEST_BODY_BYTES,
  ProfitDecimal,
  type UpdateConnectorField,
  type UpdateConnectorMetainfo,
  type UpdateConnectorObject,
} from '../../profit/index.js';
import { type InputDecl, type InputUse, type NestedDecl, type Shape, shapeOf, usedOn } from './binding.js';

export type IssueRule = 'mandatory' | 'max-length' | 'decimals' | 'one-of' | 'integer' | 'base64' | 'max-size';

export interface InputIssue {
  /** From the argument: `['input', 'address', 'zipCode']`, `['inputs', 2, 'start']`. */
  readonly path: readonly (string | number)[];
  readonly rule: IssueRule;
  readonly message: string;
  /** The refused value, for a code outside the environment's table. */
  readonly value?: string;
  /** How to find a valid value, for a code outside the environment's table. */
  readonly hint?: string;
}

/** A value sent for a field whose code table the environment holds, and where it sits. */
export interface CodeValue {
  readonly path: readonly (string | number)[];
  /** The sub-objects from the connector's root to the field (`['KnPerson']` for an employee's person). */
  readonly objects: readonly string[];
  readonly decl: InputDecl;
  readonly value: string;
}

/** A write refused before sending: every issue found. Mapped to BAD_USER_INPUT in `../errors.ts`. */
export class WriteInputError extends Error {
  override readonly name = 'WriteInputError';
  constructor(readonly issues: readonly InputIssue[]) {
    const first = issues[0]?.message ?? 'invalid input';
    super(issues.length === 1 ? first : `${issues.length} input values are invalid: ${first}; …`);
  }
}

const INTEGER_TEXT = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

export interface ValidateOptions {
  /** Profit field ids the update input must carry (the key Profit finds the record by). */
  readonly updateKeys?: ReadonlySet<string>;
  /** The sub-objects from the connector's root to `shape` (a sub-object posted to its own URL). @default [] */
  readonly objects?: readonly string[];
}

const pathText = (path: readonly (string | number)[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/**
 * Validates `input` for a create or an update. Nested sub-objects are validated as the new elements they are:
 * their mandatory fields must be present.
 */
export function validateInput(
  input: object,
  shape: Shape,
  use: InputUse,
  path: readonly (string | number)[],
  options: ValidateOptions = {},
): InputIssue[] {
  return inspectInput(input, shape, use, path, options).issues;
}

/** What one walk over an input finds: its issues, and the codes to check against the environment's tables. */
export interface InputFindings {
  readonly issues: InputIssue[];
  /** Values of fields whose table the environment holds (`oneOf: 'environment'`); empty values are no codes. */
  readonly codes: CodeValue[];
}

/**
 * `validateInput`, plus the values to check with `validateCodes` once the connector's metainfo is at hand: the
 * input's issues and its codes of the environment's own tables, in one walk.
 */
export function inspectInput(
  input: object,
  shape: Shape,
  use: InputUse,
  path: readonly (string | number)[],
  options: ValidateOptions = {},
): InputFindings {
  const found: InputFindings = { issues: [], codes: [] };
  const at: Where = { path, objects: options.objects ?? [] };
  validateShape(input as Record<string, unknown>, shape, use, at, options.updateKeys ?? new Set(), false, found);
  return found;
}

/** Where a shape sits: its input path, and the sub-objects from the connector's root (for the metainfo). */
interface Where {
  readonly path: readonly (string | number)[];
  readonly objects: readonly string[];
}

function validateShape(
  input: Record<string, unknown>,
  shape: Shape,
  use: InputUse,
  at: Where,
  updateKeys: ReadonlySet<string>,
  nested: boolean,
  found: InputFindings,
): void {
  const { path } = at;
  const { issues } = found;
  // A sub-object row marked UPDATE or DELETE exists already: it needs its key, like an update of a record.
  const action = nested && shape.action !== undefined ? input[shape.action] : undefined;
  const existingRow = action === 'update' || action === 'delete';
  for (const decl of shape.fields) {
    if (!nested && !usedOn(decl, use)) continue;
    // A create (and every new nested element) must carry what Profit needs; an update (or an existing row) must
    // carry its key, and may leave out anything else but not clear what Profit needs.
    const isKey = existingRow ? decl.key : !nested && use === 'update' && updateKeys.has(decl.fieldId);
    const required = existingRow ? isKey : use === 'create' || nested ? decl.mandatory || decl.requiredOnCreate : isKey;
    const notEmpty = decl.mandatory || decl.requiredOnCreate || isKey;
    const value = input[decl.property];
    validateValue(value, decl, { required, notEmpty }, [...path, decl.property], issues);
    if (decl.oneOf === 'environment' && value !== undefined && value !== null && String(value).trim() !== '') {
      found.codes.push({ path: [...path, decl.property], objects: at.objects, decl, value: String(value) });
    }
  }
  for (const n of shape.nested) {
    if (!nested && !usedOn(n, use)) continue;
    const sub: Where = { path: [...path, n.property], objects: [...at.objects, n.object] };
    validateNested(input[n.property], n, use, sub, nested, found);
  }
}

function validateNested(
  value: unknown,
  n: NestedDecl,
  use: InputUse,
  at: Where,
  nested: boolean,
  found: InputFindings,
): void {
  const { path } = at;
  if (value === undefined || value === null) {
    if (use === 'create' && !nested && n.requiredOnCreate) {
      found.issues.push({ path, rule: 'mandatory', message: `${pathText(path)} is required` });
    }
    return;
  }
  const shape = shapeOf(n.target());
  const none = new Set<string>();
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      const row: Where = { path: [...path, i], objects: at.objects };
      validateShape(v as Record<string, unknown>, shape, 'create', row, none, true, found);
    });
  } else {
    validateShape(value as Record<string, unknown>, shape, 'create', at, none, true, found);
  }
}

function validateValue(
  value: unknown,
  decl: InputDecl,
  need: { readonly required: boolean; readonly notEmpty: boolean },
  path: readonly (string | number)[],
  issues: InputIssue[],
): void {
  const at = pathText(path);
  const issue = (rule: IssueRule, message: string) => issues.push({ path, rule, message: `${at} ${message}` });
  if (value === undefined) {
    if (need.required) issue('mandatory', `is required (Profit field ${decl.fieldId})`);
    return;
  }
  if (value === null || (typeof value === 'string' && value.trim() === '')) {
    if (need.required || need.notEmpty) issue('mandatory', `may not be empty (Profit field ${decl.fieldId})`);
    return;
  }
  switch (decl.kind) {
    case 'string':
    case 'enum': {
      const text = String(value);
      if (decl.length > 0 && text.length > decl.length) {
        issue('max-length', `must be at most ${decl.length} characters, got ${text.length}`);
      }
      if (decl.kind === 'enum' && decl.values && !Object.values(decl.values).includes(text)) {
        issue('one-of', `must be one of ${Object.keys(decl.values).join(', ')}`);
      }
      break;
    }
    case 'int':
      if (typeof value === 'string' && !INTEGER_TEXT.test(value.trim())) {
        issue('integer', `must be a whole number, got ${JSON.stringify(value)}`);
        return;
      }
      break;
    case 'decimal': {
      const text = value instanceof ProfitDecimal ? value.text : String(value);
      const fraction = text.split('.')[1] ?? '';
      if (fraction.length > decl.decimals) {
        issue(
          'decimals',
          decl.decimals === 0
            ? `must be a whole number, got ${text}`
            : `may have at most ${decl.decimals} decimals, got ${text}`,
        );
      }
      break;
    }
    case 'blob':
      if (typeof value !== 'string' || !BASE64.test(value)) issue('base64', 'must be base64 text');
      else if (value.length > MAX_REQUEST_BODY_BYTES) {
        issue('max-size', `is larger than the ${MAX_REQUEST_BODY_BYTES / 1_000_000} MB Profit accepts in one request`);
      }
      break;
    default:
      break;
  }
  if (Array.isArray(decl.oneOf) && !decl.oneOf.includes(String(value))) {
    const list = decl.oneOf.length <= 12 ? decl.oneOf.join(', ') : `${decl.oneOf.slice(0, 12).join(', ')}, …`;
    issue('one-of', `must be one of ${list}, got ${JSON.stringify(String(value))}`);
  }
}

/** Validates key arguments (delete, append): present, and integer text for int fields. */
export function validateKeys(
  args: Readonly<Record<string, unknown>>,
  decls: readonly InputDecl[],
  path: readonly (string | number)[] = [],
): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const decl of decls) {
    validateValue(args[decl.property], decl, { required: true, notEmpty: true }, [...path, decl.property], issues);
  }
  return issues;
}

/** How many codes of a table an issue's hint shows before pointing to the metainfo. */
const HINT_CODES = 12;

/**
 * Checks collected codes against the connector's metainfo as the environment gives it: a code missing from the
 * field's `values` is a `one-of` issue with the value and a hint. A field without a table in this environment (no
 * such field, or `values: null`) is left to Profit. Codes are compared exactly, as Profit's metainfo lists them
 * (unconfirmed whether Profit also accepts another case).
 */
export function validateCodes(
  codes: readonly CodeValue[],
  metainfo: UpdateConnectorMetainfo,
  connector: string,
): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const code of codes) {
    const field = fieldOf(metainfo, code.objects, code.decl.fieldId);
    if (!field || field.values === null || field.values === undefined) continue;
    if (field.values.some((v) => v.id === code.value)) continue;
    const ids = field.values.map((v) => v.id);
    const sample = ids.length <= HINT_CODES ? ids.join(', ') : `${ids.slice(0, HINT_CODES).join(', ')}, …`;
    issues.push({
      path: code.path,
      rule: 'one-of',
      value: code.value,
      message: `${pathText(code.path)} must be a code of this environment's table for ${code.decl.fieldId}, got ${JSON.stringify(code.value)}`,
      hint: `${code.decl.fieldId}${field.label ? ` (${field.label})` : ''} has ${ids.length} codes in this environment: ${sample}; all of them in GET /metainfo/update/${connector}`,
    });
  }
  return issues;
}

/** A field of the metainfo, found through its sub-objects (names compared case-insensitively). */
function fieldOf(
  metainfo: UpdateConnectorMetainfo,
  objects: readonly string[],
  fieldId: string,
): UpdateConnectorField | undefined {
  let node: Pick<UpdateConnectorObject, 'fields' | 'objects'> | undefined = metainfo;
  for (const name of objects) {
    const lower = name.toLowerCase();
    node = node.objects.find((o) => o.name.toLowerCase() === lower);
    if (!node) return undefined;
  }
  return node.fields.find((f) => f.fieldId === fieldId);
}
