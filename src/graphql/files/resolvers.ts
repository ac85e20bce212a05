/**
 * Resolvers for files. Thin: arguments → a `FileRef` → a link (no Profit call) or the memoised content.
 *
 * - `DossierItemAttachment.downloadUrl` / `contentBase64`: the SubjectConnector, only when content is selected.
 * - `report(id, where)`, `profitFile(fileId, fileName)`, `image(imageId, size)`, `Person.image(size)`: a
 *   `ProfitFile`, with no Profit call until a field needs the bytes.
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
import { DossierItemAttachment } from '../../model/dossier-item-attachment.js';
import { Person } from '../../model/person.js';
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
function downloadUrl(ctx: RequestContext, ref: FileRef): Promise<string> {
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
const FILE_CONTENT = { profitFileContent: true } as const;

/** The attachment's ref; null when the row lacks the ids (an app connector that withholds them). */
function attachmentRef(a: DossierItemAttachment): FileRef | null {
  if (a.dossierItemId === null || a.dossierItemId === undefined || !a.fileId) return null;
  return {
    kind: 'subject',
    subjectId: String(a.dossierItemId),
    fileId: a.fileId,
    ...(a.fileName ? { fileName: a.fileName } : {}),
  };
}

const MAX_BYTES_DESCRIPTION =
  'At most this many bytes (capped by the service’s FILE_INLINE_MAX_BYTES); a larger file gives null and FILE_TOO_LARGE.';

/**
 * Authorization (src/graphql/auth, files/access.ts): an attachment's file needs the attachment's connector, the
 * two ids that address it and the SubjectConnector (`profit:file:subject`). The Subject-, File-, Image- and
 * ReportConnectors are not in Profit's metainfo: a credential's own grant of them is Profit's to decide (a refusal
 * is FORBIDDEN, reason not-granted), a JWT's scopes narrow them here.
 */
const ATTACHMENT_FILE = {
  getConnector: 'Profit_Subject_Attachments',
  fields: ['subject_id', 'file_id'],
  fileConnector: 'subject',
} as const;

@Resolver(() => DossierItemAttachment)
export class DossierItemAttachmentFileResolver {
  @requireGrant(ATTACHMENT_FILE)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A link that downloads the file with your own credential, valid for a few minutes (no Profit call until ' +
      'it is opened). Null when the row lacks the dossier item or file id.',
  })
  downloadUrl(@Root() attachment: DossierItemAttachment, @Ctx() ctx: RequestContext): Promise<string> | null {
    const ref = attachmentRef(attachment);
    return ref && downloadUrl(ctx, ref);
  }

  @requireGrant(ATTACHMENT_FILE)
  // One SubjectConnector call per attachment (src/graphql/auth/limits.ts).
  @Extensions(FILE_CONTENT)
  @FieldResolver(() => String, {
    nullable: true,
    description: 'The file as base64, from the SubjectConnector (fetched only when selected).',
  })
  contentBase64(
    @Root() attachment: DossierItemAttachment,
    @Arg('maxBytes', () => GraphQLInt, { nullable: true, description: MAX_BYTES_DESCRIPTION }) maxBytes: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<string | null> | null {
    const ref = attachmentRef(attachment);
    return ref && inlineBase64(ctx, ref, maxBytes);
  }

  /**
   * Profit_Subject_Attachments gives no size (oas/dossiers-en-bijlagen-en-workflows.json: only the reaction
   * attachments have a `file_size`, and AFAS's own example of it is 0), so the size is counted from the
   * SubjectConnector's answer: the same single fetch per request as contentBase64's.
   */
  @requireGrant(ATTACHMENT_FILE)
  @Extensions({ profitCost: 1 })
  @FieldResolver(() => GraphQLInt, {
    nullable: true,
    description:
      'Size in bytes, counted from the SubjectConnector (fetches the file, once per request with contentBase64). ' +
      'Null when the row lacks the dossier item or file id.',
  })
  async size(@Root() attachment: DossierItemAttachment, @Ctx() ctx: RequestContext): Promise<number | null> {
    const ref = attachmentRef(attachment);
    return ref && (await fileContent(ctx, ref)).size;
  }
}

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

@Resolver(() => Person)
export class PersonImageResolver {
  @requireGrant({ getConnector: 'Profit_Persons', fields: ['ImageId'], fileConnector: 'image' })
  @FieldResolver(() => ProfitFileObject, {
    nullable: true,
    description: "The person's photo from the ImageConnector; null when there is none (no Profit call).",
  })
  image(
    @Root() person: Person,
    @Arg('size', () => ImageSize, { defaultValue: ImageSize.MEDIUM }) size: ImageSize,
  ): ProfitFileObject | null {
    if (!person.imageId) return null;
    return new ProfitFileObject({ kind: 'image', imageId: person.imageId, size: imageSizeName(size) });
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

/** The resolver classes to add to the schema build (made once per process: type-graphql's metadata is global). */
export function fileResolvers(): readonly GeneratedClass[] {
  resolvers ??= [DossierItemAttachmentFileResolver, ProfitFileResolver, PersonImageResolver, createFileQueryResolver()];
  return resolvers;
}
