import { type BackendSrvRequest, getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import type * as Contract from '../backend/src/contract';

/**
 * The `api` route of plugin.json: Grafana's data-source proxy replaces `<data source url>/api`
 * with the configured backend URL and adds `Authorization: Bearer <token>` on the server side,
 * so the token never reaches the browser.
 */
const ROUTE = 'api';

/** Grafana's proxy turns a backend 401 into this 400 so the user is not logged out of Grafana. */
const PROXY_AUTH_FAILURE = 'Authentication to data source failed';

/** The vpnscope HTTP API as the plugin reaches it, through Grafana's data-source proxy. */
export class VpnscopeApi {
  /** @param proxyUrl the data source's `instanceSettings.url` (`/api/datasources/proxy/uid/<uid>`) */
  constructor(private readonly proxyUrl: string) {}

  query(request: Contract.QueryRequest): Promise<Contract.QueryResponse> {
    return this.send({ method: 'POST', url: this.url('/api/v1/query'), data: request });
  }

  health(): Promise<Contract.HealthResponse> {
    return this.send({ method: 'GET', url: this.url('/api/v1/health') });
  }

  private url(path: string): string {
    return `${this.proxyUrl}/${ROUTE}${path}`;
  }

  private async send<T>(request: BackendSrvRequest): Promise<T> {
    try {
      // showErrorAlert off: the panel or the "Save & test" box shows our own words instead.
      const response = await lastValueFrom(getBackendSrv().fetch<T>({ ...request, showErrorAlert: false }));
      return response.data;
    } catch (error) {
      throw explain(error);
    }
  }
}

/** Says in the operator's words what went wrong between Grafana and the backend. */
export function explain(error: unknown): Error {
  if (!isFetchError(error)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const { status } = error;
  const detail = detailOf(error.data) ?? error.statusText ?? '';
  if (status === 401 || status === 403 || (status === 400 && detail === PROXY_AUTH_FAILURE)) {
    return new Error(
      'The vpnscope backend refused the API token. Enter the token from the backend config (api.token) in this data source.'
    );
  }
  if (status <= 0 || status === 502 || status === 504) {
    return new Error(
      `Grafana cannot reach the vpnscope backend (HTTP ${status}). Check the backend URL and that "vpnscope serve" is running and reachable from the Grafana server.`
    );
  }
  if (status === 404) {
    return new Error(
      'No vpnscope API answered at the backend URL (HTTP 404). Use the address "vpnscope serve" listens on, without a path.'
    );
  }
  if (status === 400) {
    return new Error(`The vpnscope backend rejected the query: ${detail}`);
  }
  return new Error(`The vpnscope backend failed (HTTP ${status})${detail ? `: ${detail}` : ''}`);
}

/** fastify answers `{error, message}`; the proxy answers plain text. */
function detailOf(body: unknown): string | undefined {
  if (typeof body === 'string') {
    return body.trim() || undefined;
  }
  if (typeof body === 'object' && body !== null) {
    const { message, error } = body as { message?: unknown; error?: unknown };
    if (typeof message === 'string') {
      return message;
    }
    if (typeof error === 'string') {
      return error;
    }
  }
  return undefined;
}
