/**
 * The served model as data for `compareModel`: read from the registries the schema is built from (`@Entity` /
 * `@Bound` in src/graphql/binding.ts, `@Writes` / `@Input` / `@Nested` in src/graphql/write/binding.ts), so the
 * check covers exactly what the schema serves, whatever model is loaded. No GraphQL types leave this module.
 */
import { entityBindings } from '../graphql/binding.js';
import { type InputDecl, type Shape, shapeOf, writeBindings } from '../graphql/write/binding.js';
import type { InputDescription, ModelDescription, ObjectDescription } from './compare.js';

/** The loaded model's connectors, fields and inputs (the model's modules must have been imported). */
export function describeModel(): ModelDescription {
  return {
    reads: entityBindings().map((b) => ({
      connector: b.connector,
      entity: b.name,
      fields: [...b.fields.values()].map((f) => ({
        fieldId: f.connectorField,
        property: f.property,
        type: f.dataType,
      })),
    })),
    writes: writeBindings().map((w) => ({
      connector: w.connector,
      // Constants for either operation are sent as fields of the root object.
      root: objectOf(w.root, w.shape.name, w.shape, [
        ...Object.keys(w.constants.create ?? {}),
        ...Object.keys(w.constants.update ?? {}),
      ]),
    })),
  };
}

function objectOf(name: string, path: string, shape: Shape, constants: readonly string[]): ObjectDescription {
  return {
    name,
    path,
    inputs: shape.fields.map(inputOf),
    constants: [...new Set(constants)],
    objects: shape.nested.map((n) =>
      objectOf(n.object, `${path}.${n.property}`, shapeOf(n.target()), Object.keys(n.constants)),
    ),
  };
}

function inputOf(decl: InputDecl): InputDescription {
  return {
    fieldId: decl.fieldId,
    property: decl.property,
    type: decl.kind === 'enum' ? 'string' : decl.kind,
    length: decl.length,
    required: decl.mandatory || decl.requiredOnCreate,
    codes:
      decl.kind === 'enum' ? Object.values(decl.values ?? {}) : Array.isArray(decl.oneOf) ? [...decl.oneOf] : undefined,
  };
}
