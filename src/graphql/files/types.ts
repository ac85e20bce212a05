/** The GraphQL types of files: `ProfitFile` (reports, FileConnector files, images) and the `ImageSize` enum. */
import 'reflect-metadata';
import { ObjectType, registerEnumType } from 'type-graphql';
import type { FileRef, ImageSizeName } from './refs.js';

/**
 * Values equal to their names: the federated schema is rebuilt from the printed SDL, where an enum's internal
 * value is its name.
 */
export enum ImageSize {
  ORIGINAL = 'ORIGINAL',
  THUMBNAIL = 'THUMBNAIL',
  MEDIUM = 'MEDIUM',
}

registerEnumType(ImageSize, {
  name: 'ImageSize',
  description: "The ImageConnector's formats.",
  valuesConfig: {
    ORIGINAL: { description: 'As stored (format 0).' },
    THUMBNAIL: { description: 'At most 64 pixels (format 1).' },
    MEDIUM: { description: 'At most 1000 pixels (format 2).' },
  },
});

export const imageSizeName = (size: ImageSize | null | undefined): ImageSizeName =>
  (size ?? ImageSize.MEDIUM).toLowerCase() as ImageSizeName;

/**
 * A file Profit renders or stores, not fetched until a field needs its bytes. Its fields are resolved in
 * resolvers.ts; `ref` names the file and is not a GraphQL field.
 */
@ObjectType('ProfitFile', {
  description:
    'A report, a FileConnector file or an image. downloadUrl costs no Profit call; contentBase64, mimeType and ' +
    'size fetch the file (once per request).',
})
export class ProfitFileObject {
  constructor(readonly ref: FileRef) {}
}
