import { type BackendSrv, type BackendSrvRequest, type FetchResponse, setBackendSrv } from '@grafana/runtime';
import { type Observable, of, throwError } from 'rxjs';

/** What the fake answers: a body for success, or a status (and body) for Grafana's FetchError. */
export type FakeAnswer = { data: unknown } | { status: number; data?: unknown };

/**
 * Points getBackendSrv() at a function instead of Grafana's server and records every request,
 * so a test sees exactly what the data source sends through the proxy.
 */
export function fakeBackendSrv(answer: (request: BackendSrvRequest) => FakeAnswer): BackendSrvRequest[] {
  const requests: BackendSrvRequest[] = [];
  const fetch = (request: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    requests.push(request);
    const reply = answer(request);
    if ('status' in reply) {
      return throwError(() => ({ status: reply.status, statusText: '', data: reply.data ?? '', config: request }));
    }
    return of({
      data: reply.data,
      status: 200,
      statusText: 'OK',
      ok: true,
      headers: new Headers(),
      redirected: false,
      type: 'basic',
      url: request.url,
      config: request,
    });
  };
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return requests;
}
