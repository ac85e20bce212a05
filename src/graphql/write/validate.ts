/**
 * Validation of a write's input against its declaration, before anything is sent. Pure: input and declaration
 * in, every issue out (not just the first), each with its input path and the rule it broke.
 *
 * GraphQL itself already checks types, non-null fields and enum values; this adds what the schema cannot say:
 * lengths, decimals, code tables offered as strings, empty values for mandatory fields, integer text in IDs,
 * base64. Lengths count UTF-16 code units (JavaScript's `length`), which is what Profit, a .NET application,
 * counts too; a character outside the Basic Multilingual Plane (an emoji) counts as two on both sides.
 * Decimals are checked on the exact text of the `Decimal` scalar, never through a float.
 */
import { MAX_REQUEST_BODY_BYTES, ProfitDecimal } from '../../profit/index.js';
import { type InputDecl, type InputUse, type NestedDecl, type Shape, shapeOf, usedOn } from './binding.js';

export type IssueRule = 'mandatory' | 'max-length' | 'decimals' | 'one-of' | 'integer' | 'base64' | 'max-size';

export interface InputIssue {
  /** From the argument: `['input', 'address', 'zipCode']`, `['inputs', 2, 'start']`. */
  readonly path: readonly (string | number)[];
  readonly rule: IssueRule;
  readonly message: string;
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
  const issues: InputIssue[] = [];
  validateShape(input as Record<string, unknown>, shape, use, path, options.updateKeys ?? new Set(), false, issues);
  return issues;
}

function validateShape(
  input: Record<string, unknown>,
  shape: Shape,
  use: InputUse,
  path: readonly (string | number)[],
  updateKeys: ReadonlySet<string>,
  nested: boolean,
  issues: InputIssue[],
): void {
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
    validateValue(input[decl.property], decl, { required, notEmpty }, [...path, decl.property], issues);
  }
  for (const n of shape.nested) {
    if (!nested && !usedOn(n, use)) continue;
    validateNested(input[n.property], n, use, [...path, n.property], nested, issues);
  }
}

function validateNested(
  value: unknown,
  n: NestedDecl,
  use: InputUse,
  path: readonly (string | number)[],
  nested: boolean,
  issues: InputIssue[],
): void {
  if (value === undefined || value === null) {
    if (use === 'create' && !nested && n.requiredOnCreate) {
      issues.push({ path, rule: 'mandatory', message: `${pathText(path)} is required` });
    }
    return;
  }
  const shape = shapeOf(n.target());
  const none = new Set<string>();
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      validateShape(v as Record<string, unknown>, shape, 'create', [...path, i], none, true, issues);
    });
  } else {
    validateShape(value as Record<string, unknown>, shape, 'create', path, none, true, issues);
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
