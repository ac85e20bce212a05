/**
 * The GraphQL types of the write side, generated from the declarations: `CreateXInput` and `UpdateXInput` per
 * UpdateConnector, one input type per nested declaration class (`AddressInput`), enums for small code tables AFAS
 * fixes (the others are strings checked against the environment's own tables: `oneOf`), and the
 * `DeletedX` payload of a delete. Created once per process (type-graphql's metadata is global).
 *
 * Nullability: in `CreateXInput` a field is non-null when metainfo marks it mandatory or the connector needs it
 * for a new record (`requiredOnCreate`); in `UpdateXInput` only the key is non-null, since a PUT sends the key
 * and the changed fields only; in a nested input the metainfo's mandatory fields are non-null.
 */
import { GraphQLID, type GraphQLScalarType, GraphQLString } from 'graphql';
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { bindingOf, type EntityBinding, type GeneratedClass, scalarFor } from '../binding.js';
import { type InputDecl, type InputUse, type Shape, shapeOf, usedOn, type WriteBinding } from './binding.js';
import { keyDecls } from './element.js';

export interface WriteTypes {
  readonly binding: WriteBinding;
  readonly entity: EntityBinding;
  readonly create: GeneratedClass | undefined;
  readonly update: GeneratedClass | undefined;
  readonly deleted: GeneratedClass | undefined;
}

function namedClass(name: string): GeneratedClass {
  const holder = { [name]: class {} };
  return holder[name] as GeneratedClass;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const enums = new Map<string, { values: Readonly<Record<string, string>>; type: object }>();

function enumFor(decl: InputDecl, baseName: string): object {
  const name = decl.enumName ?? `${baseName}${upperFirst(decl.property)}`;
  const values = decl.values as Readonly<Record<string, string>>;
  const known = enums.get(name);
  if (known) {
    if (JSON.stringify(known.values) !== JSON.stringify(values)) {
      throw new Error(`enum ${name} is declared twice with different values`);
    }
    return known.type;
  }
  // The enum's internal values are Profit's codes, so resolvers receive `M` for `MAN` and send it as it is.
  const type = { ...values };
  registerEnumType(type, {
    name,
    description: `Profit codes of ${decl.fieldId}: ${Object.entries(values)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ')}.`,
  });
  enums.set(name, { values, type });
  return type;
}

/** The same scalar the read side gives the data type, so an input round-trips into its entity's field. */
function scalarOf(decl: InputDecl): GraphQLScalarType {
  // Enumerations get their own GraphQL enum (enumFor); they never reach here.
  return decl.kind === 'enum' ? GraphQLString : scalarFor(decl.kind);
}

/** The description of an input field: what it is, its Profit field and its rules. */
function describe(decl: InputDecl): string {
  const rules: string[] = [];
  if (decl.length > 0 && decl.kind === 'string') rules.push(`at most ${decl.length} characters`);
  if (decl.kind === 'decimal') rules.push(`at most ${decl.decimals} decimals`);
  if (decl.kind === 'blob') rules.push('base64');
  if (Array.isArray(decl.oneOf)) {
    rules.push(`one of ${decl.oneOf.length <= 30 ? decl.oneOf.join(', ') : `${decl.oneOf.length} codes`}`);
  }
  if (decl.oneOf === 'environment') {
    rules.push("a code from this environment's own table (metainfo/update values), checked before sending");
  }
  return `${decl.description ? `${decl.description} ` : ''}Profit field ${decl.fieldId}${
    rules.length > 0 ? `; ${rules.join(', ')}` : ''
  }.`;
}

/** Profit's `@Action` for a sub-object element; the enum's internal values are what Profit reads. */
const ElementActionEnum = { INSERT: 'insert', UPDATE: 'update', DELETE: 'delete' } as const;
registerEnumType(ElementActionEnum, {
  name: 'ElementAction',
  description:
    "What to do with one sub-object row, in the same transaction as the main record (Profit's @Action): INSERT a new row, UPDATE or DELETE an existing one found by its key.",
});

const nestedClasses = new Map<string, { target: unknown; cls: GeneratedClass }>();

/** The input type of a nested declaration class, named after the class; created once. */
export function nestedInput(shape: Shape): GeneratedClass {
  const known = nestedClasses.get(shape.name);
  if (known) {
    if (known.target !== shape.target) throw new Error(`two nested declaration classes are named ${shape.name}`);
    return known.cls;
  }
  const cls = namedClass(shape.name);
  nestedClasses.set(shape.name, { target: shape.target, cls });
  for (const decl of shape.fields) {
    const type = decl.kind === 'enum' ? enumFor(decl, shape.name.replace(/Input$/, '')) : scalarOf(decl);
    // A nested element is always a new sub-object element: what it needs is non-null.
    Field(() => type, { nullable: !(decl.mandatory || decl.requiredOnCreate), description: describe(decl) })(
      cls.prototype,
      decl.property,
    );
  }
  if (shape.action !== undefined) {
    Field(() => ElementActionEnum, {
      nullable: true,
      description:
        'INSERT, UPDATE or DELETE this row (Profit @Action); UPDATE and DELETE need its key fields only. Absent: a new row on create, what Profit does by default on update.',
    })(cls.prototype, shape.action);
  }
  applyNested(cls, shape, undefined);
  InputType(shape.name)(cls);
  return cls;
}

function applyNested(cls: GeneratedClass, shape: Shape, use: InputUse | undefined): void {
  for (const n of shape.nested) {
    if (use !== undefined && !usedOn(n, use)) continue;
    const sub = nestedInput(shapeOf(n.target()));
    const description = `${n.description ? `${n.description} ` : ''}Profit sub-object ${n.object}.`;
    Field(() => (n.list ? [sub] : sub), {
      nullable: !(use === 'create' && n.requiredOnCreate),
      description,
    })(cls.prototype, n.property);
  }
}

function topInput(binding: WriteBinding, entity: EntityBinding, use: InputUse): GeneratedClass {
  const name = `${upperFirst(use)}${entity.name}Input`;
  const cls = namedClass(name);
  const updateKeys = new Set(Object.values(binding.key));
  for (const decl of binding.shape.fields) {
    if (!usedOn(decl, use)) continue;
    const isKey = updateKeys.has(decl.fieldId);
    const type = isKey ? GraphQLID : decl.kind === 'enum' ? enumFor(decl, entity.name) : scalarOf(decl);
    const nonNull = use === 'create' ? decl.mandatory || decl.requiredOnCreate : isKey;
    Field(() => type, { nullable: !nonNull, description: describe(decl) })(cls.prototype, decl.property);
  }
  applyNested(cls, binding.shape, use);
  InputType(name, {
    description:
      use === 'create'
        ? `A new ${entity.name} record, written with a POST to ${binding.connector}.`
        : `Changes to ${/^[AEIOU]/i.test(entity.name) ? 'an' : 'a'} ${entity.name}, written with a PUT to ${binding.connector}: the key and the fields to change; null clears a field, an absent field stays as it is.`,
  })(cls);
  return cls;
}

function deletedPayload(binding: WriteBinding, entity: EntityBinding): GeneratedClass {
  const name = `Deleted${entity.name}`;
  const cls = namedClass(name);
  for (const decl of keyDecls(binding.shape)) {
    Field(() => GraphQLID, { description: `Profit field ${decl.fieldId}.` })(cls.prototype, decl.property);
  }
  ObjectType(name, { description: `The key of a deleted ${entity.name} (a DELETE on ${binding.connector} is final).` })(
    cls,
  );
  return cls;
}

/** The types of one write binding. */
export function createWriteTypes(binding: WriteBinding): WriteTypes {
  const entity = bindingOf(binding.entity());
  const ops = binding.operations;
  return {
    binding,
    entity,
    create: ops.includes('create') ? topInput(binding, entity, 'create') : undefined,
    update: ops.includes('update') ? topInput(binding, entity, 'update') : undefined,
    deleted: ops.includes('delete') ? deletedPayload(binding, entity) : undefined,
  };
}
