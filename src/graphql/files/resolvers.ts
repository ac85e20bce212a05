/**
 * Resolvers for files. Thin: arguments → a `FileRef` → a link (no Profit call) or the memoised content.
 *
 * - `DossierItemAttachment.downloadUrl` / `contentBase64`: the SubjectConnector, only when content is selected.
 * - `report(id, where)`, `profitFile(fileId, fileName)`, `image(imageId, size)`, `Person.image(size)`: a
 *   `ProfitFile`, with no Profit call until a field needs the bytes.
 */
import 'reflect-metadata';
import { GraphQLError, GraphQLID, GraphQLInt } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Extensions, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { DossierItemAttachment } from '../../model/dossier-item-attachment.js';
import { Person } from '../../model/person.js';
import { assertQueryFits, encodeGetQuery } from '../../profit/index.js';
import { requireGrant } from '../auth/index.js';
import type { GeneratedClass } from '../binding.js';
import type { RequestContext } from '../context.js';
import { translated } from '../errors.js';
import { fileContent, inlineBase64 } from './content.js';
import type { FileRef } from './refs.js';
import { compileReportWhere, ReportWhere } from './report-where.js';
import { ImageSize, imageSizeName, ProfitFileObject } from './types.js';

function downloadUrl(ctx: RequestContext, ref: FileRef): string {
  if (!ctx.files) {
    throw new GraphQLError('This server does not serve downloads (no file route); use contentBase64', {
      extensions: { code: 'DOWNLOADS_UNAVAILABLE' },
    });
  }
  return ctx.files.downloadUrl(ref);
}

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
 * Authorization (src/graphql/auth): an attachment's file needs the attachment's connector and the two ids that
 * address it. The Subject-, File-, Image- and ReportConnectors are not in Profit's metainfo, so Profit itself
 * decides those (a refusal is FORBIDDEN, reason not-granted).
 */
const ATTACHMENT_FILE = { getConnector: 'Profit_Subject_Attachments', fields: ['subject_id', 'file_id'] } as const;

@Resolver(() => DossierItemAttachment)
export class DossierItemAttachmentFileResolver {
  @requireGrant(ATTACHMENT_FILE)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A link that downloads the file with your own credential, valid for a few minutes (no Profit call until ' +
      'it is opened). Null when the row lacks the dossier item or file id.',
  })
  downloadUrl(@Root() attachment: DossierItemAttachment, @Ctx() ctx: RequestContext): string | null {
    const ref = attachmentRef(attachment);
    return ref && downloadUrl(ctx, ref);
  }

  @requireGrant(ATTACHMENT_FILE)
  // One SubjectConnector call per attachment (src/graphql/auth/limits.ts).
  @Extensions({ profitCost: 1 })
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
  downloadUrl(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): string {
    return downloadUrl(ctx, file.ref);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The FileConnector file's given name; for reports and images Profit's own (fetches the file).",
  })
  async fileName(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (file.ref.kind === 'file') return file.ref.fileName;
    return (await fileContent(ctx, file.ref)).fileName ?? null;
  }

  @FieldResolver(() => String, { description: "Profit's MIME type for the file (fetches the file)." })
  async mimeType(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<string> {
    return (await fileContent(ctx, file.ref)).mimeType;
  }

  @FieldResolver(() => GraphQLInt, { description: 'Size in bytes (fetches the file).' })
  async size(@Root() file: ProfitFileObject, @Ctx() ctx: RequestContext): Promise<number> {
    return (await fileContent(ctx, file.ref)).size;
  }

  @Extensions({ profitCost: 1 })
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
  @requireGrant({ getConnector: 'Profit_Persons', fields: ['ImageId'] })
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

@Resolver()
export class FileQueryResolver {
  @Query(() => ProfitFileObject, {
    description:
      'A report from the ReportConnector, rendered with the filter when downloaded or when its content is selected.',
  })
  report(@Args(() => ReportArgs) { id, where }: ReportArgs): Promise<ProfitFileObject> {
    return translated(() => {
      const filter = compileReportWhere(where);
      // Refused here (QUERY_TOO_LONG) rather than when the link is opened: Profit answers over-long URLs 404.
      assertQueryFits(encodeGetQuery({ filter }, { paging: false }), {
        method: 'GET',
        path: `/ReportConnector/${encodeURIComponent(id)}`,
      });
      return new ProfitFileObject({ kind: 'report', reportId: id, filter });
    });
  }

  @Query(() => ProfitFileObject, { description: 'A file from the FileConnector, by its id and name.' })
  profitFile(@Args(() => ProfitFileArgs) { fileId, fileName }: ProfitFileArgs): ProfitFileObject {
    return new ProfitFileObject({ kind: 'file', fileId, fileName });
  }

  @Query(() => ProfitFileObject, { description: 'An image from the ImageConnector.' })
  image(@Args(() => ImageArgs) { imageId, size }: ImageArgs): ProfitFileObject {
    return new ProfitFileObject({ kind: 'image', imageId, size: imageSizeName(size) });
  }
}

/** The resolver classes to add to the schema build. */
export const FILE_RESOLVERS: readonly GeneratedClass[] = [
  DossierItemAttachmentFileResolver,
  ProfitFileResolver,
  PersonImageResolver,
  FileQueryResolver,
];
