import { ApiError, messagesOf } from './api-error';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Sent as Idempotency-Key, so a double click or a retried request is carried out once. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** What the caller takes back; JSON unless it asks for a file. */
  accept?: string;
}

/**
 * The console talks to the same HTTP API as every other client, on the same origin, with the API
 * key in the Authorization header. The key is never put in a URL (so it never reaches an access log
 * or the browser history).
 */
export class ApiClient {
  constructor(private readonly apiKey: string) {}

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /** A response with its headers (time travel reports what it folded in headers). */
  async fetchRaw(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: options.accept ?? 'application/json',
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    const response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    if (!response.ok) {
      const body = await readBody(response);
      throw new ApiError(response.status, messagesOf(response.status, response.statusText, body), body);
    }
    return response;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.fetchRaw(method, path, options);
    return (await readBody(response)) as T;
  }

  /**
   * Downloads a file the API serves behind the key (CSV exports): fetched with the header, then
   * handed to the browser as a blob, because a plain link could not carry the key.
   */
  async download(path: string, query: RequestOptions['query'], fileName: string): Promise<void> {
    // A file is whatever the route serves: no JSON asked for.
    const response = await this.fetchRaw('GET', path, { query, accept: '*/*' });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A fresh key per user action: a retry of that action reuses it, a new action gets a new one. */
export function newIdempotencyKey(): string {
  return `console-${crypto.randomUUID()}`;
}
