/**
 * Mutation resolvers generated from the write bindings, one class per UpdateConnector. Thin: arguments → the
 * write flow in `execute.ts`, with failures translated in `../errors.ts`.
 *
 * | declaration                        | mutation                                                  |
 * | ---------------------------------- | --------------------------------------------------------- |
 * | operations: create                 | `createX(input: CreateXInput!): X!`                        |
 * | operations: update                 | `updateX(input: UpdateXInput!): X!`                        |
 * | operations: delete                 | `deleteX(k1: ID!, k2: ID!): DeletedX!`                     |
 * | bulk                               | `createXs(inputs: [CreateXInput!]!): [X!]!` (one call)     |
 * | append: [{ name, nested }]         | `name(key: ID!, nested: [NestedInput!]!): X!`              |
 */
import { GraphQLID } from 'graphql';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireGrant } from '../auth/index.js';
import type { GeneratedClass } from '../binding.js';
import type { RequestContext } from '../context.js';
import { translated } from '../errors.js';
import { shapeOf } from './binding.js';
import { keyDecls, updateKeyDecls } from './element.js';
import { appendTo, createMany, createOne, deleteOne, updateOne } from './execute.js';
import { nestedInput, type WriteTypes } from './types.js';

type Method = (...args: unknown[]) => unknown;

function descriptor(proto: object, method: string): PropertyDescriptor {
  return Object.getOwnPropertyDescriptor(proto, method) as PropertyDescriptor;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const article = (name: string) => (/^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`);

/** The resolver class of one UpdateConnector's mutations. */
export function createWriteResolver(types: WriteTypes): GeneratedClass {
  const { binding, entity } = types;
  const name = `${entity.name}WriteResolver`;
  const cls = { [name]: class {} }[name] as new () => object;
  const proto = cls.prototype as Record<string, Method>;
  const target = entity.target;
  // Every mutation needs its UpdateConnector granted (src/graphql/auth): checked before it runs, declared to a router.
  const guard = (method: string) =>
    requireGrant({ updateConnector: binding.connector })(proto, method, descriptor(proto, method));

  if (types.create) {
    const input = types.create;
    proto.create = (value, ctx) => translated(() => createOne(types, value as object, ctx as RequestContext));
    Mutation(() => target, {
      // Nullable: a refused mutation (FORBIDDEN, PROFIT_REJECTED…) nulls only its own field, not the others' results.
      nullable: true,
      name: `create${entity.name}`,
      description: `Creates ${article(entity.name)} with a POST to ${binding.connector} and returns it as Profit now has it.`,
    })(proto, 'create', descriptor(proto, 'create'));
    guard('create');
    Arg('input', () => input)(proto, 'create', 0);
    Ctx()(proto, 'create', 1);

    if (binding.bulk) {
      const plural = entity.queries ? upperFirst(entity.queries.list) : `${entity.name}s`;
      proto.createMany = (values, ctx) =>
        translated(() => createMany(types, values as object[], ctx as RequestContext));
      Mutation(() => [target], {
        // Nullable: a refused mutation (FORBIDDEN, PROFIT_REJECTED…) nulls only its own field, not the others' results.
        nullable: true,
        name: `create${plural}`,
        description:
          `Creates several ${entity.name} records in ONE POST to ${binding.connector} (Element as an array). ` +
          'Profit checks the whole body and processes it as one transaction: if any element is refused, none is ' +
          'written. Returns the records in the order of the inputs.',
      })(proto, 'createMany', descriptor(proto, 'createMany'));
      guard('createMany');
      Arg('inputs', () => [input])(proto, 'createMany', 0);
      Ctx()(proto, 'createMany', 1);
    }
  }

  if (types.update) {
    const input = types.update;
    proto.update = (value, ctx) => translated(() => updateOne(types, value as object, ctx as RequestContext));
    Mutation(() => target, {
      // Nullable: a refused mutation (FORBIDDEN, PROFIT_REJECTED…) nulls only its own field, not the others' results.
      nullable: true,
      name: `update${entity.name}`,
      description: `Changes ${article(entity.name)} with a PUT to ${binding.connector} (only the fields given) and returns it as Profit now has it.`,
    })(proto, 'update', descriptor(proto, 'update'));
    guard('update');
    Arg('input', () => input)(proto, 'update', 0);
    Ctx()(proto, 'update', 1);
  }

  if (types.deleted) {
    const decls = keyDecls(binding.shape);
    const payload = types.deleted;
    proto.remove = (...params: unknown[]) => {
      const ctx = params[decls.length] as RequestContext;
      const args = Object.fromEntries(decls.map((d, i) => [d.property, params[i]]));
      return translated(() => deleteOne(types, args, ctx));
    };
    Mutation(() => payload, {
      // Nullable: a refused mutation (FORBIDDEN, PROFIT_REJECTED…) nulls only its own field, not the others' results.
      nullable: true,
      name: `delete${entity.name}`,
      description: `Deletes ${article(entity.name)} with a DELETE on ${binding.connector} (final) and returns its key.`,
    })(proto, 'remove', descriptor(proto, 'remove'));
    guard('remove');
    decls.forEach((d, i) => {
      Arg(d.property, () => GraphQLID, { description: `Profit field ${d.fieldId}.` })(proto, 'remove', i);
    });
    Ctx()(proto, 'remove', decls.length);
  }

  for (const append of binding.append) {
    const nested = binding.shape.nested.find((n) => n.property === append.nested);
    if (!nested) continue;
    const decls = updateKeyDecls(binding);
    const itemInput = nestedInput(shapeOf(nested.target()));
    const method = `append${upperFirst(append.nested)}`;
    proto[method] = (...params: unknown[]) => {
      const ctx = params[decls.length + 1] as RequestContext;
      const args = Object.fromEntries([
        ...decls.map((d, i) => [d.property, params[i]]),
        [append.nested, params[decls.length]],
      ]);
      return translated(() => appendTo(types, append, args, ctx));
    };
    Mutation(() => target, {
      // Nullable: a refused mutation (FORBIDDEN, PROFIT_REJECTED…) nulls only its own field, not the others' results.
      nullable: true,
      name: append.name,
      description:
        append.description ??
        `Adds ${append.nested} to ${article(entity.name)} with a POST to ${binding.connector}/${nested.object}.`,
    })(proto, method, descriptor(proto, method));
    guard(method);
    decls.forEach((d, i) => {
      Arg(d.property, () => GraphQLID, { description: `Profit field ${d.fieldId}.` })(proto, method, i);
    });
    Arg(append.nested, () => [itemInput])(proto, method, decls.length);
    Ctx()(proto, method, decls.length + 1);
  }

  Resolver()(cls);
  return cls;
}
