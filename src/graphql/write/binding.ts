/**
 * Binding GraphQL inputs to UpdateConnectors: the write side of `../binding.ts`. A declaration class says which
 * UpdateConnector it writes (`@Writes`), which Profit field each property goes to with the rules of the
 * connector's metainfo (`@Input`: data type, length, decimals, mandatory, code table) and which sub-objects it
 * carries (`@Nested`). From that one declaration the core generates the create and update input types, the
 * mutations, the validation and the request body, so adding an UpdateConnector touches no core code.
 *
 * ```ts
 * @Writes({ connector: 'KnPerson', entity: () => Person, key: { personId: 'BcCo' }, operations: ['create', 'update'] })
 * export class PersonWrite {
 *   @Input('BcCo', 'string', { length: 15, key: true, on: ['update'] }) personId?: string;
 *   @Input('LaNm', 'string', { length: 80, requiredOnCreate: true }) lastName?: string;
 *   @Input('ViGe', 'enum', { length: 20, values: { MAN: 'M', WOMAN: 'V' } }) gender?: string;
 *   @Nested('KnBasicAddressAdr', () => AddressInput) address?: AddressInput;
 * }
 * ```
 *
 * `mandatory`, `length`, `decimals` and the code table mirror `GET /metainfo/update/{connector}` exactly (a test
 * compares them with the emulator's metainfo); `requiredOnCreate` adds what the connector's content rules demand of
 * a new record beyond its metainfo (Profit's metainfo marks few fields mandatory: a new person needs a last name,
 * yet `LaNm` is not mandatory there, since a PUT need not send it).
 */
import 'reflect-metadata';
import type { ColumnType, UpdateValue } from '../../profit/index.js';
import { bindingOf, type EntityClass } from '../binding.js';

/**
 * The read side's field types (Profit's data types with `date` split into a day `date` and a moment `datetime`,
 * as AFAS's OpenAPI formats say), plus `enum`: a string field with a code table, offered as a GraphQL enum.
 */
export type InputKind = ColumnType | 'enum';

/** The mutations a declaration offers. */
export type WriteOperation = 'create' | 'update' | 'delete';

/** Where an input field appears: in the create input, the update input, or both. */
export type InputUse = 'create' | 'update';

export interface InputOptions {
  /** Maximum length in characters (metainfo `length`); 0 or absent: no limit. Strings only. */
  readonly length?: number;
  /** Digits after the decimal point (metainfo `decimals`). Decimals only. @default 0 */
  readonly decimals?: number;
  /** Metainfo `mandatory`: needed on insert and never cleared. @default false */
  readonly mandatory?: boolean;
  /** Needed to create a record by the connector's content rules although metainfo does not say so. @default false */
  readonly requiredOnCreate?: boolean;
  /** For kind `enum`: GraphQL enum value name → Profit code (the code table's `id`). */
  readonly values?: Readonly<Record<string, string>>;
  /** The GraphQL enum's name. @default the declaration's base name + the property, e.g. `PersonGender` */
  readonly enumName?: string;
  /**
   * A code table offered as a validated string or int: the Profit ids it accepts, or `'environment'`: the codes of
   * the environment's own `GET /metainfo/update/{connector}` `values` (read once per credential and grant TTL),
   * checked before anything is sent. For tables too large or too changeable for a GraphQL enum (AFAS's 210
   * nationalities) and tables each environment configures itself (dossier item types, leave reasons): a code the
   * environment knows works, one it lacks is refused as BAD_USER_INPUT. Keep `enum` for small sets AFAS fixes.
   */
  readonly oneOf?: readonly string[] | 'environment';
  /** Part of the connector's primary key (metainfo `primaryKey`): an argument of `delete`, in this order. */
  readonly key?: boolean;
  /** Sent as an element attribute (`"@SbId": 1`) rather than in `Fields` (`"BcCo": "1"`), as AFAS's examples do. */
  readonly attribute?: boolean;
  /** The inputs the field appears in. @default ['create', 'update'] */
  readonly on?: readonly InputUse[];
  readonly description?: string;
}

export interface InputDecl {
  readonly property: string;
  readonly fieldId: string;
  readonly kind: InputKind;
  readonly length: number;
  readonly decimals: number;
  readonly mandatory: boolean;
  readonly requiredOnCreate: boolean;
  readonly values: Readonly<Record<string, string>> | undefined;
  readonly enumName: string | undefined;
  readonly oneOf: readonly string[] | 'environment' | undefined;
  readonly key: boolean;
  readonly attribute: boolean;
  readonly on: readonly InputUse[];
  readonly description: string | undefined;
}

export interface NestedOptions {
  /** Several elements (`[X!]`) rather than one. @default false */
  readonly list?: boolean;
  /** Needed to create the main record (non-null in the create input). @default false */
  readonly requiredOnCreate?: boolean;
  /** Fields always sent in this sub-object, e.g. `{ MatchPer: '0' }` for a person inside an employee. */
  readonly constants?: Readonly<Record<string, UpdateValue>>;
  /** @default ['create', 'update'] */
  readonly on?: readonly InputUse[];
  readonly description?: string;
}

export interface NestedDecl {
  readonly property: string;
  /** The sub-object's name in the body (`KnBasicAddressAdr`). */
  readonly object: string;
  readonly target: () => DeclClass;
  readonly list: boolean;
  readonly requiredOnCreate: boolean;
  readonly constants: Readonly<Record<string, UpdateValue>>;
  readonly on: readonly InputUse[];
  readonly description: string | undefined;
}

/** A declaration class (top-level or nested). */
export type DeclClass = abstract new (...args: never[]) => object;

/** The fields and sub-objects of one declaration class, its base classes' first. */
export interface Shape {
  readonly target: DeclClass;
  /** The GraphQL input type name of a nested shape: the class name. */
  readonly name: string;
  readonly fields: readonly InputDecl[];
  readonly nested: readonly NestedDecl[];
  /** The property holding the element's `@Action` (`ElementAction`), if the class declares one. */
  readonly action: string | undefined;
}

/** What to do with one sub-object element inside the write: Profit's `@Action`. */
export type ElementActionValue = 'insert' | 'update' | 'delete';

export interface AppendOptions {
  /** The mutation's name, e.g. `addDossierItemAttachments`. */
  readonly name: string;
  /** The `@Nested` property whose elements are posted to the sub-object URL. */
  readonly nested: string;
  readonly description?: string;
}

export interface BulkOptions {
  /**
   * How the rows a bulk create added are found again. Profit answers a call with several elements with the key
   * of the last one only, so each element's row is looked up by the values it was sent: entity property → input
   * property (date-times compare by day, since Profit may drop the time). The entity's single key must be an
   * integer that Profit numbers in ascending order, which `createX` relies on to tell equal rows apart.
   */
  readonly match: Readonly<Record<string, string>>;
}

export interface WritesOptions {
  readonly connector: string;
  /** The body's root object when AFAS roots it elsewhere than at the connector id (`AfasEmployee`). */
  readonly root?: string;
  /** The entity the connector writes; mutations return it as re-read through its GetConnector. */
  readonly entity: () => EntityClass;
  /**
   * Entity key property → the Profit field of `results` that holds it (`{ personId: 'BcCo' }` for
   * `{"results":{"KnPerson":{"BcCo":"…"}}}`). The update input requires these fields.
   */
  readonly key: Readonly<Record<string, string>>;
  readonly operations: readonly WriteOperation[];
  /** Fields always sent, per operation: `{ create: { MatchPer: '0', AutoNum: true } }`. */
  readonly constants?: Partial<Readonly<Record<InputUse, Readonly<Record<string, UpdateValue>>>>>;
  /** Offer `createXs(inputs: [CreateXInput!]!)`: several records in one call (one transaction). */
  readonly bulk?: BulkOptions;
  /** Mutations that POST one sub-object to its own URL (`/connectors/KnSubject/KnSubjectAttachment`). */
  readonly append?: readonly AppendOptions[];
  readonly description?: string;
}

export interface WriteBinding {
  readonly connector: string;
  /** The body's root object: `WritesOptions.root`, else the connector id. */
  readonly root: string;
  readonly entity: () => EntityClass;
  readonly key: Readonly<Record<string, string>>;
  readonly operations: readonly WriteOperation[];
  readonly constants: Partial<Readonly<Record<InputUse, Readonly<Record<string, UpdateValue>>>>>;
  readonly bulk: BulkOptions | undefined;
  readonly append: readonly AppendOptions[];
  readonly description: string | undefined;
  readonly shape: Shape;
}

interface Pending {
  readonly fields: Map<string, InputDecl>;
  readonly nested: Map<string, NestedDecl>;
  action?: string;
}

const pending = new WeakMap<object, Pending>();
const registry = new Map<DeclClass, WriteBinding>();

function pendingOf(prototype: object): Pending {
  let p = pending.get(prototype);
  if (!p) {
    p = { fields: new Map(), nested: new Map() };
    pending.set(prototype, p);
  }
  return p;
}

const BOTH: readonly InputUse[] = ['create', 'update'];

/** Binds a property to a field of the UpdateConnector (or of the sub-object the class is nested as). */
export function Input(fieldId: string, kind: InputKind, options: InputOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') throw new Error('@Input needs a string property name');
    if (kind === 'enum' && (options.values === undefined || Object.keys(options.values).length === 0)) {
      throw new Error(`@Input ${property}: an enum needs values`);
    }
    if (options.decimals !== undefined && kind !== 'decimal')
      throw new Error(`@Input ${property}: decimals on ${kind}`);
    pendingOf(prototype).fields.set(property, {
      property,
      fieldId,
      kind,
      length: options.length ?? 0,
      decimals: options.decimals ?? 0,
      mandatory: options.mandatory ?? false,
      requiredOnCreate: options.requiredOnCreate ?? false,
      values: options.values,
      enumName: options.enumName,
      oneOf: options.oneOf,
      key: options.key ?? false,
      attribute: options.attribute ?? false,
      on: options.on ?? BOTH,
      description: options.description,
    });
  };
}

/** Binds a property to a sub-object (`KnBasicAddressAdr`), declared by another class. */
export function Nested(object: string, target: () => DeclClass, options: NestedOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') throw new Error('@Nested needs a string property name');
    pendingOf(prototype).nested.set(property, {
      property,
      object,
      target,
      list: options.list ?? false,
      requiredOnCreate: options.requiredOnCreate ?? false,
      constants: options.constants ?? {},
      on: options.on ?? BOTH,
      description: options.description,
    });
  };
}

/**
 * Marks the property that carries a sub-object element's `@Action` (update-connector.md): `insert` a new row,
 * `update` or `delete` an existing one found by its key fields, in the same transaction as the main record. For
 * sub-objects with rows of their own, such as an employee's bank accounts. Absent: Profit's default for the call.
 */
export function ElementAction(): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') throw new Error('@ElementAction needs a string property name');
    pendingOf(prototype).action = property;
  };
}

/** The declarations of a class and its base classes (base first; a subclass may redeclare a property). */
export function shapeOf(target: DeclClass): Shape {
  const chain: object[] = [];
  for (let p = target.prototype as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    chain.unshift(p);
  }
  const fields = new Map<string, InputDecl>();
  const nested = new Map<string, NestedDecl>();
  let action: string | undefined;
  for (const proto of chain) {
    const p = pending.get(proto);
    if (!p) continue;
    for (const [k, f] of p.fields) fields.set(k, f);
    for (const [k, n] of p.nested) nested.set(k, n);
    action = p.action ?? action;
  }
  return { target, name: target.name, fields: [...fields.values()], nested: [...nested.values()], action };
}

/** Binds a declaration class to an UpdateConnector and the entity it writes. */
export function Writes(options: WritesOptions): ClassDecorator {
  return (decorated) => {
    const target = decorated as unknown as DeclClass;
    const shape = shapeOf(target);
    const byId = new Set(shape.fields.map((f) => f.fieldId));
    for (const fieldId of Object.values(options.key)) {
      if (!byId.has(fieldId)) throw new Error(`@Writes ${target.name}: key field ${fieldId} is not an @Input`);
    }
    if (options.operations.includes('delete') && !shape.fields.some((f) => f.key)) {
      throw new Error(`@Writes ${target.name}: delete needs @Input fields with key: true`);
    }
    for (const a of options.append ?? []) {
      if (!shape.nested.some((n) => n.property === a.nested)) {
        throw new Error(`@Writes ${target.name}: append ${a.name} names no @Nested property ${a.nested}`);
      }
    }
    registry.set(target, {
      connector: options.connector,
      root: options.root ?? options.connector,
      entity: options.entity,
      key: options.key,
      operations: options.operations,
      constants: options.constants ?? {},
      bulk: options.bulk,
      append: options.append ?? [],
      description: options.description,
      shape,
    });
  };
}

/** Every registered write binding, in registration order. */
export function writeBindings(): WriteBinding[] {
  return [...registry.values()];
}

const written = new WeakMap<WriteBinding, readonly string[]>();

/**
 * The entities (GraphQL type names) a write through `binding` may change: its own, and every entity whose
 * UpdateConnector it carries as a sub-object, at any depth (KnEmployee carries KnPerson: an employee's write changes
 * its Person). Sorted.
 */
export function writtenEntities(binding: WriteBinding): readonly string[] {
  let names = written.get(binding);
  if (names === undefined) {
    const byObject = new Map<string, string>();
    for (const other of registry.values()) {
      const name = bindingOf(other.entity()).name;
      byObject.set(other.connector, name).set(other.root, name);
    }
    const found = new Set([bindingOf(binding.entity()).name]);
    const seen = new Set<Shape>();
    const walk = (shape: Shape) => {
      if (seen.has(shape)) return;
      seen.add(shape);
      for (const n of shape.nested) {
        const entity = byObject.get(n.object);
        if (entity !== undefined) found.add(entity);
        walk(shapeOf(n.target()));
      }
    };
    walk(binding.shape);
    names = [...found].sort();
    written.set(binding, names);
  }
  return names;
}

/** Whether a field appears in the input for `use`. */
export function usedOn(decl: { readonly on: readonly InputUse[] }, use: InputUse): boolean {
  return decl.on.includes(use);
}
