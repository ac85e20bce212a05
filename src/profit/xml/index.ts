/** The XML side of UpdateConnectors: the XML form of a body (update-xml.ts) and XSD validation (validate.ts). */
export {
  type FromUpdateXmlOptions,
  fromUpdateXml,
  hasNonXmlCharacter,
  refuseDoctype,
  type ToUpdateXmlOptions,
  toUpdateXml,
  XSI_NAMESPACE,
} from './update-xml.js';
export {
  CompiledXsd,
  prettyXml,
  XmlSchemaError,
  XsdCache,
  type XsdCacheOptions,
  type XsdViolation,
} from './validate.js';
export { parseUpdateXsd, readUpdateXsd, type UpdateXsd, withUpdateXsds } from './xsd-shape.js';
