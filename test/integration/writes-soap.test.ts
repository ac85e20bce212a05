/**
 * The UpdateConnector tests of writes.test.ts, word for word, with every read and write of the harness carried over
 * SOAP (XML bodies through `Execute`, rows through `GetDataWithOptions`): the same results on both transports.
 */
import { useTransport } from './support.js';

useTransport('soap');
await import('./writes.test.js');
