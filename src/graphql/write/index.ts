/**
 * The GraphQL write side: mutations over Profit's UpdateConnectors, generated from the declarations in
 * src/model/write (`@Writes`, `@Input`, `@Nested`).
 */
import type { GeneratedClass } from '../binding.js';
import { writeBindings } from './binding.js';
import { createWriteResolver } from './resolvers.js';
import { createWriteTypes } from './types.js';

export {
  type AppendOptions,
  type BulkOptions,
  type DeclClass,
  ElementAction,
  type ElementActionValue,
  Input,
  type InputDecl,
  type InputKind,
  type InputOptions,
  type InputUse,
  Nested,
  type NestedDecl,
  type NestedOptions,
  type Shape,
  shapeOf,
  type WriteBinding,
  type WriteOperation,
  Writes,
  type WritesOptions,
  writeBindings,
} from './binding.js';
export { keyDecls, keyOfResult, toAppendElement, toDeleteKeys, toElement, updateKeyDecls } from './element.js';
export {
  type CodeValue,
  type InputFindings,
  type InputIssue,
  type IssueRule,
  inspectInput,
  validateCodes,
  validateInput,
  validateKeys,
  WriteInputError,
} from './validate.js';

let resolverClasses: GeneratedClass[] | undefined;

/**
 * The mutation resolver classes, one per UpdateConnector declaration; created once per process (type-graphql's
 * metadata is global). Ordered by entity name, so the schema does not depend on module evaluation order.
 */
export function writeResolvers(): GeneratedClass[] {
  resolverClasses ??= writeBindings()
    .map(createWriteTypes)
    .sort((a, b) => a.entity.name.localeCompare(b.entity.name))
    .map(createWriteResolver);
  return resolverClasses;
}
