import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseErrorBody } from '../../src/profit/index.js';

const ctx = { method: 'GET', path: '/connectors/Profit_Users' };

describe('errorFromResponse', () => {
  it('reads a functional 500 with its log reference', () => {
    const e = errorFromResponse(
      500,
      '{"externalMessage":"The entered value for \'Employee\' does not exist.","errorNumber":-2147220469,"profitLogReference":"B8213AF1C3C54E579686406A8DE71C6C"}',
      ctx,
    );
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(500);
    expect(e.errorNumber).toBe(-2147220469);
    expect(e.profitLogReference).toBe('B8213AF1C3C54E579686406A8DE71C6C');
    expect(e.message).toContain("The entered value for 'Employee' does not exist.");
    expect(e.path).toBe('/connectors/Profit_Users');
  });

  it('recognises a connector the app connector does not grant, on 401 and 500', () => {
    for (const status of [401, 500]) {
      const e = errorFromResponse(
        status,
        '{"externalMessage":"GetConnector not supported for this app or the user is not authorized"}',
        ctx,
      );
      expect(e.kind).toBe('not-granted');
      expect(e.notGranted).toBe(true);
    }
    expect(errorFromResponse(401, '', ctx).kind).toBe('unauthorized');
  });

  it('reads retry_after from a 503 body and says when Profit expects to be back', () => {
    const e = errorFromResponse(
      503,
      '{"error":{"code":{"example":"503"},"message":{"example":"Service temporarily unavailable due to scheduled maintenance."}},"retry_after":7200}',
      ctx,
    );
    expect(e.kind).toBe('unavailable');
    expect(e.retryAfterSeconds).toBe(7200);
    expect(e.externalMessage).toBe('Service temporarily unavailable due to scheduled maintenance.');
    expect(e.message).toContain('2 h');
  });

  it('maps the other statuses to their kinds', () => {
    expect(errorFromResponse(400, '', ctx).kind).toBe('bad-request');
    expect(errorFromResponse(403, '', ctx).kind).toBe('forbidden');
    expect(errorFromResponse(404, '', ctx).kind).toBe('not-found');
    expect(errorFromResponse(413, '', ctx).kind).toBe('too-large');
    expect(errorFromResponse(502, '', ctx).kind).toBe('http');
  });
});

describe('parseErrorBody', () => {
  it('keeps a short snippet of a non-JSON body', () => {
    expect(parseErrorBody('<html><body><h1>Not Found</h1></body></html>').externalMessage).toBe('Not Found');
    expect(parseErrorBody('').externalMessage).toBeUndefined();
  });
});
