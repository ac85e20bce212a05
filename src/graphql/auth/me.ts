/**
 * `me`: what the caller may read and write, so a frontend can hide what would be denied. It asks Profit only what
 * the selection needs: `/metainfo` for the grant, and `/metainfo/get/{id}` per granted connector only when
 * `types { fields }` or `types { deniedFields }` is selected (all cached per credential, like every check).
 */
import {
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
  Kind,
} from 'graphql';
import { Ctx, Directive, Field, FieldResolver, Info, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { bindingOf, type EntityBinding, entityBindings } from '../binding.js';
import type { RequestContext } from '../context.js';
import { translated } from '../errors.js';
import { declaredReports } from '../files/reports.js';
import { fileGrant, getGrant, parseGrant, reportGrant } from './roles.js';

@ObjectType({ description: 'What the caller may read of one entity type.' })
export class TypeAccess {
  @Field(() => String, { description: 'The GraphQL type.' })
  type!: string;

  @Field(() => String, { description: 'The GetConnector it reads.' })
  connector!: string;

  @Field(() => Boolean, {
    description: "The GetConnector is granted (and, when a JWT narrows, in the token's scopes).",
  })
  readable!: boolean;

  binding!: EntityBinding;
}

@ObjectType({ description: 'Whether the caller may use one root field (query or mutation).' })
export class OperationAccess {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: '`query` or `mutation`.' })
  operation!: string;

  @Field(() => Boolean)
  allowed!: boolean;

  @Field(() => [String], { description: 'The scopes it needs (`@requiresScopes`), all of them.' })
  requires!: string[];
}

@ObjectType({ description: "The caller's Profit grant, as this API applies it." })
export class Access {
  @Field(() => String, { nullable: true, description: "The app connector's name (Profit's metainfo)." })
  appName!: string | null;

  @Field(() => Boolean, { description: "A verified JWT's scopes narrow this caller's access." })
  narrowed!: boolean;

  @Field(() => [String], { description: 'Granted GetConnectors.' })
  getConnectors!: string[];

  @Field(() => [String], { description: 'Granted UpdateConnectors.' })
  updateConnectors!: string[];

  @Field(() => [String], {
    description:
      'The grant as scopes (`profit:get:<id>`, `profit:update:<id>`, `profit:file:<kind>`, `profit:report:<id>`): ' +
      'what a token for this caller may carry.',
  })
  scopes!: string[];
}

/** The scopes of a field's `@requiresScopes` (its first AND-set; all but `report` print one). */
export function requiredScopes(field: GraphQLField<unknown, unknown>): string[] {
  return requiredScopeSets(field)[0] ?? [];
}

/** Every AND-set of a field's `@requiresScopes` (`report` has one per declared report). */
export function requiredScopeSets(field: GraphQLField<unknown, unknown>): string[][] {
  const d = field.astNode?.directives?.find((x: ConstDirectiveNode) => x.name.value === 'requiresScopes');
  const arg = d?.arguments?.find((a) => a.name.value === 'scopes')?.value;
  if (arg?.kind !== Kind.LIST) return [];
  return arg.values.flatMap((set) =>
    set.kind === Kind.LIST ? [set.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))] : [],
  );
}

/** The roles of a field of an entity type: bound fields need their connector field, relations their target. */
function entityFieldRoles(binding: EntityBinding, name: string, schema: GraphQLSchema): string[] {
  const own = getGrant(binding.connector);
  const bound = binding.fields.get(name);
  if (bound) return [own, getGrant(binding.connector, bound.connectorField)];
  const relation = binding.relations.get(name);
  if (relation) return [own, getGrant(bindingOf(relation.target()).connector)];
  const type = schema.getType(binding.name);
  const field = isObjectType(type) ? type.getFields()[name] : undefined;
  return [own, ...(field ? requiredScopes(field) : [])];
}

async function fieldsOf(t: TypeAccess, ctx: RequestContext, info: GraphQLResolveInfo, allowed: boolean) {
  const type = info.schema.getType(t.type);
  if (!isObjectType(type)) return [];
  const out: string[] = [];
  for (const name of Object.keys(type.getFields())) {
    const ok = t.readable && (await ctx.auth.allows(entityFieldRoles(t.binding, name, info.schema)));
    if (ok === allowed) out.push(name);
  }
  return out;
}

@Resolver(() => TypeAccess)
export class TypeAccessResolver {
  @FieldResolver(() => [String], { description: 'Fields the caller may read (none when the type is not readable).' })
  fields(@Root() t: TypeAccess, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<string[]> {
    return translated(() => fieldsOf(t, ctx, info, true));
  }

  @FieldResolver(() => [String], { description: 'Fields that would resolve to null with FORBIDDEN.' })
  deniedFields(@Root() t: TypeAccess, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<string[]> {
    return translated(() => fieldsOf(t, ctx, info, false));
  }
}

@Resolver(() => Access)
export class AccessResolver {
  @Query(() => Access, {
    name: 'me',
    description: 'What the caller may read and write: hide what would be denied. Costs one Profit call per TTL.',
  })
  @Directive('@authenticated')
  me(@Ctx() ctx: RequestContext): Promise<Access> {
    return translated(async () => {
      const g = await ctx.auth.grants();
      // File connectors and reports are not in Profit's metainfo (roles.ts): listed here when nothing narrows them
      // away, so a token minted from this list can reach them; Profit still decides them per credential. A report
      // is listed when its source GetConnector is granted too.
      const files: string[] = [];
      for (const kind of ['subject', 'file', 'image'] as const) {
        if (await ctx.auth.allows([fileGrant(kind)])) files.push(fileGrant(kind));
      }
      for (const report of declaredReports()) {
        if (await ctx.auth.allows([reportGrant(report.id), getGrant(report.source)])) {
          files.push(reportGrant(report.id));
        }
      }
      return {
        appName: g.appName ?? null,
        narrowed: ctx.auth.narrowed,
        getConnectors: [...g.getConnectors],
        updateConnectors: [...g.updateConnectors],
        scopes: [
          ...g.getConnectors.map((c) => `profit:get:${c}`),
          ...g.updateConnectors.map((c) => `profit:update:${c}`),
          ...files,
        ],
      };
    });
  }

  @FieldResolver(() => [TypeAccess], { description: 'Every entity type of this API.' })
  types(@Ctx() ctx: RequestContext): Promise<TypeAccess[]> {
    return translated(async () => {
      const bindings = entityBindings().sort((a, b) => a.name.localeCompare(b.name));
      const out: TypeAccess[] = [];
      for (const binding of bindings) {
        const readable = await ctx.auth.allows([getGrant(binding.connector)]);
        out.push({ type: binding.name, connector: binding.connector, readable, binding });
      }
      return out;
    });
  }

  @FieldResolver(() => [OperationAccess], {
    description:
      'Every root query and mutation that needs a grant (`@requiresScopes`), and whether this caller has it.',
  })
  operations(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<OperationAccess[]> {
    return translated(async () => {
      const out: OperationAccess[] = [];
      const roots = [
        ['query', info.schema.getQueryType()],
        ['mutation', info.schema.getMutationType()],
      ] as const;
      for (const [operation, type] of roots) {
        for (const field of Object.values(type?.getFields() ?? {})) {
          const sets = requiredScopeSets(field).filter((set) => set.length > 0);
          if (sets.length === 0) continue;
          // A scope is a connector-level role (profit:get:X, profit:update:X, profit:file:X, profit:report:X).
          for (const set of sets) set.forEach(parseGrant);
          // Allowed when any one set holds (`report`: any declared report); `requires` is that set, else the first.
          let allowed: string[] | undefined;
          for (const set of sets) {
            if (await ctx.auth.allows(set)) {
              allowed = set;
              break;
            }
          }
          out.push({ name: field.name, operation, allowed: allowed !== undefined, requires: allowed ?? sets[0] ?? [] });
        }
      }
      return out;
    });
  }
}
