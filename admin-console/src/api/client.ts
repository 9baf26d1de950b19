import type { ApiErrorBody } from './types';

/** Where the gateway's API is: same origin (served by gateway-service, or proxied by `npm run dev`). */
export const API_BASE = '/api/v1';

/** A refusal or failure of the gateway, with its stable error body when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { field: string; reason: string }[];

  constructor(status: number, body: Partial<ApiErrorBody> | null) {
    super(body?.message ?? `the gateway answered HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'UNREACHABLE' : `HTTP_${status}`);
    this.details = body?.details ?? [];
  }
}

/** Sends a request to the gateway's API with the admin's bearer token; answers the parsed JSON body. */
export async function apiFetch<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  headers.set('Accept', 'application/json');
  let response: Response;
  try {
    response = await fetch(API_BASE + path, { ...init, headers });
  } catch (e) {
    throw new ApiError(0, { code: 'UNREACHABLE', message: `the gateway could not be reached (${String(e)})` });
  }
  const body = await jsonBody(response);
  if (!response.ok) {
    throw new ApiError(response.status, body as Partial<ApiErrorBody> | null);
  }
  return body as T;
}

/** The JSON of an answer, or null when it has none or it is not JSON. */
export async function jsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A POST with a JSON body and the Idempotency-Key every POST of the API needs. */
export function apiPost<T>(path: string, token: string, body: unknown, idempotencyKey: string): Promise<T> {
  return apiFetch<T>(path, token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A fresh Idempotency-Key: keep it for the retries of one action, make a new one for the next action. */
export function newIdempotencyKey(prefix: string): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : Math.random().toString(36).slice(2) + Date.now().toString(36);
  return `${prefix}-${random}`;
}

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** What an error means to the admin, in one sentence. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 401:
        return 'Your token was refused (unknown, expired or revoked). Sign in again.';
      case 403:
        return `Not allowed: ${error.message}`;
      case 404:
        return `Not found: ${error.message}`;
      case 429:
        return 'Too many requests: the gateway asks to slow down. Try again in a moment.';
      default:
        return error.status >= 500
          ? `The gateway could not answer (${error.code}): ${error.message}`
          : `${error.code}: ${error.message}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
