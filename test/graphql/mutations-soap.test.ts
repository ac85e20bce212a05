/**
 * The mutation tests of mutations.test.ts, word for word, with the service's connection carrying every read and
 * write over SOAP: the GraphQL layer cannot tell which transport carried a call.
 */
import { useTransport } from './helpers.js';

useTransport('soap');
await import('./mutations.test.js');
