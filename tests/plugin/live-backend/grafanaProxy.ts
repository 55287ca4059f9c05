import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
  setBackendSrv,
} from '@grafana/runtime';
import { Observable } from 'rxjs';
import type { VpnscopeOptions, VpnscopeSecureOptions } from '../../../src/types';

interface Route {
  path: string;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../src/plugin.json'), 'utf8')) as {
  routes: Route[];
};

/** A data source as Grafana's server holds it: where the browser reaches it, and its settings. */
export interface ProxiedDataSource {
  /** `instanceSettings.url`: `/api/datasources/proxy/uid/<uid>`. */
  proxyUrl: string;
  jsonData: VpnscopeOptions;
  secureJsonData: VpnscopeSecureOptions;
}

/** `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}` of a route, as Grafana fills them in. */
function render(template: string, source: ProxiedDataSource): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_match, scope: string, key: string) => {
    const values: { [key: string]: unknown } = { ...(scope === 'JsonData' ? source.jsonData : source.secureJsonData) };
    return String(values[key] ?? '');
  });
}

/** Where Grafana's proxy sends a request: the plugin.json route whose path starts the proxied path. */
function upstream(
  request: BackendSrvRequest,
  source: ProxiedDataSource
): { url: string; headers: Record<string, string> } {
  const prefix = `${source.proxyUrl}/`;
  if (!request.url.startsWith(prefix)) {
    throw new Error(`${request.url} does not go through the data source proxy ${source.proxyUrl}`);
  }
  const proxyPath = request.url.slice(prefix.length);
  const route = manifest.routes.find((candidate) => proxyPath.startsWith(candidate.path));
  if (!route) {
    throw new Error(`no route of plugin.json matches ${proxyPath}`);
  }
  const headers = Object.fromEntries(
    (route.headers ?? []).map((header) => [header.name, render(header.content, source)])
  );
  return { url: render(route.url, source) + proxyPath.slice(route.path.length), headers };
}

/** Grafana's backendSrv reads a body as JSON when it is JSON, else as text. */
function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

const fetchError = (request: BackendSrvRequest, status: number, statusText: string, data: unknown): FetchError => ({
  status,
  statusText,
  data,
  config: request,
});

/**
 * Points getBackendSrv() at a stand-in for Grafana's data-source proxy in front of a real
 * backend: the route comes from src/plugin.json with its headers (the bearer token) filled in
 * from the data source's settings, the request goes out over real HTTP, and the answer comes
 * back as Grafana's backendSrv hands it over. Like Grafana's proxy, it turns a backend 401 into
 * a 400 "Authentication to data source failed" (so the user is not logged out of Grafana) and a
 * backend it cannot connect to into a 502 with an empty body. Returns every request, in order.
 */
export function useGrafanaProxy(source: ProxiedDataSource): BackendSrvRequest[] {
  const requests: BackendSrvRequest[] = [];
  const fetch = <T>(request: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable((subscriber) => {
      requests.push(request);
      const target = upstream(request, source);
      const body = request.data === undefined ? undefined : JSON.stringify(request.data);
      const outgoing = http.request(
        target.url,
        {
          method: request.method ?? 'GET',
          headers: { ...target.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const statusText = response.statusMessage ?? '';
            const data = parsed(Buffer.concat(chunks).toString('utf8'));
            if (status === 401) {
              subscriber.error(fetchError(request, 400, 'Bad Request', 'Authentication to data source failed'));
            } else if (status >= 400) {
              subscriber.error(fetchError(request, status, statusText, data));
            } else {
              subscriber.next({
                data: data as T,
                status,
                statusText,
                ok: true,
                headers: new Headers(),
                redirected: false,
                type: 'basic',
                url: request.url,
                config: request,
              });
              subscriber.complete();
            }
          });
        }
      );
      outgoing.on('error', () => subscriber.error(fetchError(request, 502, 'Bad Gateway', '')));
      outgoing.end(body);
      return () => outgoing.destroy();
    });
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return requests;
}
