/**
 * The demo model's file fields: an attachment's link, content and size (the SubjectConnector), a person's photo (the
 * ImageConnector). Thin: a row → a `FileRef`, then src/graphql/files does the rest (authorization, links, content).
 */
import 'reflect-metadata';
import { GraphQLInt } from 'graphql';
import { Arg, Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireGrant } from '../graphql/auth/index.js';
import {
  downloadUrl,
  FILE_CONTENT,
  type FileRef,
  fileContent,
  ImageSize,
  imageSizeName,
  inlineBase64,
  MAX_BYTES_DESCRIPTION,
  ProfitFileObject,
} from '../graphql/files/index.js';
import type { RequestContext } from '../graphql/index.js';
import { DossierItemAttachment } from './dossier-item-attachment.js';
import { Person } from './person.js';

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
