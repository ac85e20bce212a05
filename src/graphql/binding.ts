/**
 * Binding GraphQL types to GetConnectors. A model class says which connector it reads (`@Entity`), which connector
 * field each property comes from (`@Bound`) and how it relates to other entities (`@Relation`); the decorators apply
 * type-graphql's own decorators and record the binding in a registry. The core (inputs, connections, resolvers,
 * loaders, federation) is built from that registry alone, so adding an entity touches no core code.
 *
 * ```ts
 * @Entity({ connector: 'Profit_Employees', key: ['employeeId'] })
 * export class Employee {
 *   @Bound('EmployeeId', 'string') employeeId!: string;
 *   @Relation(() => Person, { on: { personId: 'personId' } }) person?: Person | null;
 * }
 * ```
 */
import 'reflect-metadata';
import { GraphQLBoolean, GraphQLID, GraphQLInt, type GraphQLScalarType, GraphQLString } from 'graphql';
import { Authorized, Directive, Field, ObjectType } from 'type-graphql';
import { type ColumnType, convertCell, type ExactReading, type ProfitRow, type ProfitValue } from '../profit/index.js';
import { requiresScopesDirective } from './auth/checker.js';
import { getGrant } from './auth/roles.js';
import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars.js';

/** An entity class (type-graphql identifies types by their constructors). */
export type EntityClass = abstract new (...args: never[]) => object;

/** A class generated at schema build time (inputs, connections, resolvers). */
export type GeneratedClass = new () => object;

export interface FieldBinding {
  /** The GraphQL field (and class property). */
  readonly property: string;
  /** The GetConnector field id (`id` in `metainfo/get/{id}`). */
  readonly connectorField: string;
  /**
   * The field's type, which directs how its values are read (never their shape): metainfo's data type, with its
   * `date` split into `date` (a day) and `datetime` (a moment).
   */
  readonly dataType: ColumnType;
  readonly nullable: boolean;
  readonly key: boolean;
  readonly filterable: boolean;
  readonly sortable: boolean;
}

export interface RelationBinding {
  readonly property: string;
  readonly source: EntityClass;
  readonly target: () => EntityClass;
  /** Source property → target property; the target rows whose properties equal the source's. */
  readonly on: Readonly<Record<string, string>>;
  /** A connection (with where/orderBy/first/after) rather than a single object. */
  readonly list: boolean;
  readonly description: string | undefined;
}

export interface EntityBinding {
  readonly target: EntityClass;
  /** The GraphQL type name. */
  readonly name: string;
  readonly connector: string;
  /** Key properties, in order (the federation `@key` and the stable sort's last keys). */
  readonly key: readonly string[];
  /** Root query names: the single lookup and the list; `false` for none (reached only through relations). */
  readonly queries: { readonly one: string; readonly list: string } | false;
  readonly description: string | undefined;
  readonly fields: ReadonlyMap<string, FieldBinding>;
  readonly relations: ReadonlyMap<string, RelationBinding>;
  /** The entity's cache hint (`EntityOptions.cacheControl`); undefined: the response cache's own TTL. */
  readonly cacheControl: CacheHint | undefined;
}

/**
 * How long an answer that reads an entity may be served from the response cache (`RESPONSE_CACHE_TTL_SECONDS`,
 * src/server/response-cache), as Apollo's `@cacheControl(maxAge:)`. The scope is always private: every answer
 * depends on the caller's grant. Only recorded here; the response cache reads it.
 */
export interface CacheHint {
  /** Seconds, at most the response cache's TTL; 0: answers that read this entity are never cached. */
  readonly maxAge: number;
}

export interface EntityOptions {
  readonly connector: string;
  readonly key: readonly string[];
  /** @default the class name */
  readonly name?: string;
  readonly description?: string;
  /**
   * Root query names. `false`: no root queries.
   * @default { one: 'employee', list: 'employees' } for `Employee` (camel case, plural with `s`)
   */
  readonly queries?: { readonly one?: string; readonly list?: string } | false;
  /** @default undefined: answers reading it are cached for `RESPONSE_CACHE_TTL_SECONDS` when the cache is on */
  readonly cacheControl?: CacheHint;
}

export interface BoundOptions {
  /** @default false for key fields, true otherwise (Profit sends `null` for every empty value) */
  readonly nullable?: boolean;
  readonly description?: string;
  /** Offered in `where`. @default true (false for blobs) */
  readonly filterable?: boolean;
  /** Offered in `orderBy`. @default true (false for blobs) */
  readonly sortable?: boolean;
}

export interface RelationOptions {
  readonly on: Readonly<Record<string, string>>;
  /** @default false */
  readonly list?: boolean;
  readonly description?: string;
}

interface Pending {
  fields: Map<string, Omit<FieldBinding, 'key' | 'nullable'> & { nullable: boolean | undefined }>;
  relations: Map<string, RelationBinding>;
}

const pending = new WeakMap<object, Pending>();
const registry = new Map<EntityClass, EntityBinding>();

function pendingOf(prototype: object): Pending {
  let p = pending.get(prototype);
  if (!p) {
    p = { fields: new Map(), relations: new Map() };
    pending.set(prototype, p);
  }
  return p;
}

/** The GraphQL scalar for a field type; keys are `ID`. */
export function scalarFor(dataType: ColumnType, key = false): GraphQLScalarType {
  if (key) return GraphQLID;
  switch (dataType) {
    case 'int':
      return GraphQLInt;
    case 'decimal':
      return DecimalScalar;
    case 'boolean':
      return GraphQLBoolean;
    case 'date':
      return DateScalar;
    case 'datetime':
      return DateTimeScalar;
    default:
      // strings, and blobs as Profit sends them (base64 text)
      return GraphQLString;
  }
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Binds a class to a GetConnector: a type-graphql object type with the federation `@key`. */
export function Entity(options: EntityOptions): ClassDecorator {
  return (decorated) => {
    const target = decorated as unknown as EntityClass;
    const name = options.name ?? target.name;
    const p = pendingOf(target.prototype);
    if (options.key.length === 0) throw new Error(`@Entity ${name}: give at least one key property`);
    const keys = new Set(options.key);
    for (const k of keys) {
      if (!p.fields.has(k)) throw new Error(`@Entity ${name}: key '${k}' is not a @Bound property`);
    }
    const fields = new Map<string, FieldBinding>();
    for (const [property, f] of p.fields) {
      const key = keys.has(property);
      const binding: FieldBinding = { ...f, key, nullable: key ? false : (f.nullable ?? true) };
      fields.set(property, binding);
    }
    // Fields are applied here, not in @Bound, because only now is it known which ones are keys (ID!, non-null).
    // Each needs its connector and its connector field (auth/): the roles make type-graphql wrap the field in the
    // auth checker (a field without roles or middleware could be built as a "simple" field that skips it), and the
    // scope tells a router the same. Other fields of the class (getters such as a MIME type) need the connector.
    const connectorRole = getGrant(options.connector);
    Authorized(connectorRole)(decorated);
    for (const f of fields.values()) {
      const description = fieldDescriptions.get(target.prototype)?.get(f.property);
      Field(() => scalarFor(f.dataType, f.key), {
        nullable: f.nullable,
        ...(description !== undefined ? { description } : {}),
      })(target.prototype, f.property);
      Authorized(connectorRole, getGrant(options.connector, f.connectorField))(target.prototype, f.property);
      Directive(requiresScopesDirective([connectorRole]))(target.prototype, f.property);
    }
    const queries =
      options.queries === false
        ? false
        : {
            one: options.queries?.one ?? lowerFirst(name),
            list: options.queries?.list ?? `${lowerFirst(name)}s`,
          };
    const binding: EntityBinding = {
      target,
      name,
      connector: options.connector,
      key: options.key,
      queries,
      description: options.description,
      fields,
      relations: p.relations,
      cacheControl: options.cacheControl,
    };
    Directive(`@key(fields: "${options.key.join(' ')}")`)(decorated);
    ObjectType(name, options.description !== undefined ? { description: options.description } : {})(decorated);
    registry.set(target, binding);
    decimalReaders.clear();
  };
}

const fieldDescriptions = new WeakMap<object, Map<string, string>>();

/**
 * Binds a property to a GetConnector field of the given type. Metainfo says `date` for days and moments alike:
 * declare `'date'` for a day (`Date`, `YYYY-MM-DD`: birth dates, dates in service) and `'datetime'` for a moment
 * (`DateTime`: modification times, a leave's start with its time), as AFAS's OpenAPI formats (`date` /
 * `date-time`) of the field say.
 */
export function Bound(connectorField: string, dataType: ColumnType, options: BoundOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') throw new Error('@Bound needs a string property name');
    const queryable = dataType !== 'blob';
    pendingOf(prototype).fields.set(property, {
      property,
      connectorField,
      dataType,
      nullable: options.nullable,
      filterable: options.filterable ?? queryable,
      sortable: options.sortable ?? queryable,
    });
    if (options.description !== undefined) {
      const m = fieldDescriptions.get(prototype) ?? new Map<string, string>();
      fieldDescriptions.set(prototype, m);
      m.set(property, options.description);
    }
  };
}

/**
 * Declares a relation to another entity: `on` maps this entity's properties to the target's. A single relation
 * resolves to the (first) matching row or null; a list relation to a connection with where/orderBy/first/after.
 */
export function Relation(target: () => EntityClass, options: RelationOptions): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') throw new Error('@Relation needs a string property name');
    if (Object.keys(options.on).length === 0) throw new Error(`@Relation ${property}: 'on' is empty`);
    pendingOf(prototype).relations.set(property, {
      property,
      source: prototype.constructor as EntityClass,
      target,
      on: options.on,
      list: options.list ?? false,
      description: options.description,
    });
  };
}

/** How the loaders have the client read a GetConnector's numbers (`numbersOf`). */
export interface ConnectorNumbers {
  readonly numbers: { readonly decimals: readonly string[]; readonly deferred: ReadonlySet<string> | undefined };
}

/**
 * How the loaders have the client read this GetConnector's numbers: `{ decimals }`, the columns an entity bound to
 * it declares `decimal` (an employee's hours per week), read exactly from their text; every other column is read by
 * `JSON.parse` unless it holds a number that is not a safe integer (`parseProfitRows`). Scanning the whole text for
 * exact numbers cost as much as parsing it (issue 12).
 *
 * `deferred`: those of them that are not a key of an entity bound to the connector, which the loaders read from
 * the rows themselves. A loader that hands a call's rows to entities unmerged defers their exact reading to the
 * first read of its field (`fromProfitRow`'s `exact`), so an operation skips the decimal columns it does not select.
 */
export function numbersOf(connector: string): ConnectorNumbers {
  const id = connector.toLowerCase();
  let known = decimalReaders.get(id);
  if (known === undefined) {
    const decimals = new Set<string>();
    const keys = new Set<string>();
    for (const b of registry.values()) {
      if (b.connector.toLowerCase() !== id) continue;
      for (const f of b.fields.values()) if (f.dataType === 'decimal') decimals.add(f.connectorField);
      for (const p of b.key) {
        const key = b.fields.get(p);
        if (key !== undefined) keys.add(key.connectorField);
      }
    }
    const deferred = new Set([...decimals].filter((c) => !keys.has(c)));
    known = { numbers: { decimals: [...decimals], deferred: deferred.size > 0 ? deferred : undefined } };
    decimalReaders.set(id, known);
  }
  return known;
}
/** `numbersOf` by lower-cased connector id, computed once (emptied when an entity is bound). */
const decimalReaders = new Map<string, ConnectorNumbers>();

/** The binding of an entity class; throws for a class without `@Entity`. */
export function bindingOf(target: EntityClass): EntityBinding {
  const b = registry.get(target);
  if (!b) throw new Error(`${target.name} is not an @Entity`);
  return b;
}

/** Every registered entity, in registration order. */
export function entityBindings(): EntityBinding[] {
  return [...registry.values()];
}

/**
 * A row of the entity's connector as an instance of the entity class (so getters on the class work). Each value
 * is read as its field's declared type says (`convertCell`: a `datetime` becomes a `Date`, a `date` its day); the
 * client leaves rows as Profit sent them, so a text field that looks like a date stays text.
 *
 * Nothing is converted or copied here: the instance keeps the row, and each bound field is a getter of a prototype
 * generated once per entity (`rowEntityOf`) that reads its cell when the field is read, so a column the operation
 * does not select costs nothing. A `Date` is kept at its first read, so the field reads the same object each
 * time. Assigning a field stores the value on the instance, as a plain object would.
 *
 * `exact`: the call's `GetResult.exact` when it deferred the exact reading of decimal columns; a decimal field
 * calls it for its column before it reads its cell.
 */
export function fromProfitRow<T extends object>(binding: EntityBinding, row: ProfitRow, exact?: ExactReading): T {
  return new (rowEntityOf(binding))(row, exact) as unknown as T;
}

const ROW = Symbol('profit row');
const CONVERTED = Symbol('converted date-times');
const EXACT = Symbol('exact reading of the deferred cells');
interface RowEntityInstance {
  [ROW]: ProfitRow;
  [CONVERTED]: ProfitValue[] | undefined;
  [EXACT]: ExactReading | undefined;
}
type RowEntity = new (row: ProfitRow, exact: ExactReading | undefined) => RowEntityInstance;
const rowEntities = new WeakMap<EntityBinding, RowEntity>();

function rowEntityOf(binding: EntityBinding): RowEntity {
  let made = rowEntities.get(binding);
  if (made === undefined) {
    made = makeRowEntity(binding);
    rowEntities.set(binding, made);
  }
  return made;
}

/**
 * A constructor whose instances hold a row and whose prototype (below the entity class's) has a getter per bound
 * field. Its `toJSON` gives the object `fromProfitRow` used to build (every field, converted), so logging or
 * serialising an entity shows its values.
 */
function makeRowEntity(binding: EntityBinding): RowEntity {
  const RowEntity = function (this: RowEntityInstance, row: ProfitRow, exact: ExactReading | undefined) {
    this[ROW] = row;
    this[EXACT] = exact;
    // Same shape for every instance; the list of converted date-times is made at the first one read.
    this[CONVERTED] = undefined;
  } as unknown as RowEntity;
  const prototype = Object.create(binding.target.prototype) as object;
  let dateTimes = 0;
  for (const f of binding.fields.values()) {
    const { property, connectorField: column, dataType } = f;
    let get: (this: RowEntityInstance) => ProfitValue;
    if (dataType === 'datetime') {
      // A `Date` is an object: kept, so the field reads the same one each time.
      const slot = dateTimes++;
      get = function () {
        const kept = this[CONVERTED]?.[slot];
        if (kept !== undefined) return kept;
        const v = this[ROW][column];
        // A field the app connector withholds is absent from the row: null, like an empty value.
        if (v === undefined || v === null) return null;
        const value = convertCell(dataType, v);
        const converted = this[CONVERTED] ?? [];
        converted[slot] = value;
        this[CONVERTED] = converted;
        return value;
      };
    } else if (dataType === 'date') {
      get = function () {
        const v = this[ROW][column];
        return v === undefined || v === null ? null : convertCell(dataType, v);
      };
    } else if (dataType === 'decimal') {
      get = function () {
        // The exact reading of a decimal column may wait for the first read of its field (`numbersOf`).
        this[EXACT]?.(column);
        const v = this[ROW][column];
        return v === undefined ? null : v;
      };
    } else {
      get = function () {
        const v = this[ROW][column];
        return v === undefined ? null : v;
      };
    }
    Object.defineProperty(prototype, property, {
      configurable: true,
      enumerable: true,
      get,
      set(this: object, value: ProfitValue | undefined) {
        // Stored on the instance, where it hides the getter.
        Object.defineProperty(this, property, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  }
  // Its type's name, as `_entities` answers need it to resolve the `_Entity` union: on the prototype, so no answer
  // defines it on each instance (@apollo/subgraph's resolver keeps a `__typename` that names the type).
  Object.defineProperty(prototype, '__typename', { configurable: true, enumerable: false, value: binding.name });
  Object.defineProperty(prototype, 'toJSON', {
    configurable: true,
    writable: true,
    enumerable: false,
    value(this: Record<string, unknown>) {
      const out: Record<string, unknown> = {};
      for (const property of binding.fields.keys()) out[property] = this[property];
      return out;
    },
  });
  RowEntity.prototype = prototype as RowEntityInstance;
  return RowEntity;
}

/** A key value in the form used for grouping: Profit compares text case-insensitively and ignores trailing spaces. */
export function normalizeKey(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  // Once per row and key on the row path: the regex only when there are trailing spaces to drop.
  return (text.charCodeAt(text.length - 1) === 32 ? text.replace(/ +$/, '') : text).toUpperCase();
}
