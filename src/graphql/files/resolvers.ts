/**
 * Resolvers for files. Thin: arguments → a `FileRef` → a link (no Profit call) or the memoised content.
 *
 * - `report(id, where)`, `profitFile(fileId, fileName)`, `image(imageId, size)`: a `ProfitFile`, with no Profit call
 *   until a field needs the bytes; its fields fetch the content once per request.
 * - A model's file fields (src/model/files.ts for the demo: attachments, photos) build on the exports here.
 */
import 'reflect-metadata';
import { GraphQLError, GraphQLID, GraphQLInt } from 'graphql';
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Directive,
  Extensions,
  Field,
  FieldResolver,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { getGrant, reportGrant, requireGrant, requiresAnyScopesDirective } from '../auth/index.js';
import type { GeneratedClass } from '../binding.js';
import type { RequestContext } from '../context.js';
import { translated } from '../errors.js';
import { authorizeFile, reportRef } from './access.js';
import { fileContent, inlineBase64 } from './content.js';
import type { FileRef } from './refs.js';
import { ReportWhere } from './report-where.js';
import { declaredReports } from './reports.js';
import { ImageSize, imageSizeName, ProfitFileObject } from './types.js';

/**
 * A download link, minted only once the caller may have the file (access.ts): in service mode the link is opened
 * with the service's credential, so the ticket itself must not reach further than the caller's scopes.
 */
export function downloadUrl(ctx: RequestContext, ref: FileRef): Promise<string> {
  return translated(async () => {
    const files = ctx.files;
    if (!files) {
      throw new GraphQLError('This server does not serve downloads (no file route); use contentBase64', {
        extensions: { code: 'DOWNLOADS_UNAVAILABLE' },
      });
    }
    await authorizeFile(ctx, ref);
    return files.downloadUrl(ref);
  });
}

/**
 * Marks a field that fetches a file's content (one file connector call per parent; several such fields of one
 * file share the call): the cost limit counts it per file (src/graphql/auth/limits.ts).
 */
export const FILE_CONTENT = { profitFileContent: true } as const;

export const MAX_BYTES_DESCRIPTION =
  'At most this many bytes (capped by the service’s FILE_INLINE_MAX_BYTES); a larger file gives null and FILE_TOO_LARGE.';

@Resolver(() => ProfitFileObject)
export class ProfitFileResolver {
  @FieldResolver(() => String, {
    description: 'A link that downloads the file with your own credential, valid for a few minutes.',
  })
  downloadUrl(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<string> {
    return downloadUrl(ctx, file.ref);
  }

  @Extensions(FILE_CONTENT)
  @FieldResolver(() => String, {
    nullable: true,
    description: "The FileConnector file's given name; for reports and images Profit's own (fetches the file).",
  })
  async fileName(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<string | null> {
    const ref = file.ref;
    if (ref.kind === 'file') {
      // Known without a call, but told only to a caller who may have the file.
      await translated(() => authorizeFile(ctx, ref));
      return ref.fileName;
    }
    return (await fileContent(ctx, ref)).fileName ?? null;
  }

  @Extensions(FILE_CONTENT)
  @FieldResolver(() => String, { description: "Profit's MIME type for the file (fetches the file)." })
  async mimeType(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<string> {
    return (await fileContent(ctx, file.ref)).mimeType;
  }

  @Extensions(FILE_CONTENT)
  @FieldResolver(() => GraphQLInt, { description: 'Size in bytes (fetches the file).' })
  async size(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<number> {
    return (await fileContent(ctx, file.ref)).size;
  }

  @Extensions(FILE_CONTENT)
  @FieldResolver(() => String, { nullable: true, description: 'The file as base64 (fetched when selected).' })
  contentBase64(
    @Root() file: ProfitFileObject,
    @Arg('maxBytes', () => GraphQLInt, { nullable: true, description: MAX_BYTES_DESCRIPTION }) maxBytes: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<string> {
    return inlineBase64(ctx, file.ref, maxBytes);
  }
}

@ArgsType()
class ReportArgs {
  @Field(() => GraphQLID, { description: 'The report id (a GUID in Profit).' })
  id!: string;

  @Field(() => ReportWhere, { nullable: true, description: "A filter on the rows of the report's source." })
  where?: ReportWhere | null;
}

@ArgsType()
class ProfitFileArgs {
  @Field(() => GraphQLID)
  fileId!: string;

  @Field(() => String)
  fileName!: string;
}

@ArgsType()
class ImageArgs {
  @Field(() => GraphQLID)
  imageId!: string;

  @Field(() => ImageSize, { defaultValue: ImageSize.MEDIUM })
  size!: ImageSize;
}

/**
 * The root file queries. Made when the schema is first built rather than at import, so `report`'s
 * `@requiresScopes` lists every report declared by then: the model's and the deployment's (`PROFIT_REPORTS`), each
 * as the AND-set of its report scope and its source GetConnector's scope. Nullable, so a refusal stays local.
 */
function createFileQueryResolver(): GeneratedClass {
  const reports = declaredReports();
  // No declared report: no set a token could satisfy, so no directive (the resolver refuses every id).
  const reportScopes: MethodDecorator =
    reports.length === 0
      ? () => undefined
      : Directive(requiresAnyScopesDirective(reports.map((r) => [reportGrant(r.id), getGrant(r.source)])));

  @Resolver()
  class FileQueryResolver {
    @Query(() => ProfitFileObject, {
      nullable: true,
      description:
        'A report from the ReportConnector, rendered with the filter when downloaded or when its content is ' +
        `selected. Declared reports: ${reports.map((r) => `${r.id} (${r.description}, from ${r.source})`).join('; ') || 'none'}.`,
    })
    @reportScopes
    report(@Args(() => ReportArgs) { id, where }: ReportArgs, @Ctx() ctx: RequestContext): Promise<ProfitFileObject> {
      return translated(async () => new ProfitFileObject(await reportRef(ctx, id, where)));
    }

    @Query(() => ProfitFileObject, {
      nullable: true,
      description: 'A file from the FileConnector, by its id and name.',
    })
    @requireGrant({ fileConnector: 'file' })
    profitFile(@Args(() => ProfitFileArgs) { fileId, fileName }: ProfitFileArgs): ProfitFileObject {
      return new ProfitFileObject({ kind: 'file', fileId, fileName });
    }

    @Query(() => ProfitFileObject, { nullable: true, description: 'An image from the ImageConnector.' })
    @requireGrant({ fileConnector: 'image' })
    image(@Args(() => ImageArgs) { imageId, size }: ImageArgs): ProfitFileObject {
      return new ProfitFileObject({ kind: 'image', imageId, size: imageSizeName(size) });
    }
  }
  return FileQueryResolver;
}

let resolvers: readonly GeneratedClass[] | undefined;

/**
 * The resolver classes to add to the schema build (made once per process: type-graphql's metadata is global): a
 * file's fields and the root file queries. A model's own file fields (an attachment's content, a person's photo)
 * are the model's resolvers, built from `downloadUrl`, `inlineBase64` and `fileContent`.
 */
export function fileResolvers(): readonly GeneratedClass[] {
  resolvers ??= [ProfitFileResolver, createFileQueryResolver()];
  return resolvers;
}
