// The console's only way to the service: every call carries the credential the user signed in
// with (kept in this tab's sessionStorage, never rendered), and a 401 sends them back to sign-in.
const STORE = 'iomt.console.credential';
let onUnauthorized = () => {};

/** The stored credential {kind: 'key'|'bearer', value}, or null. */
export function credential() {
  const raw = sessionStorage.getItem(STORE);
  return raw ? JSON.parse(raw) : null;
}

export function signIn(kind, value) {
  sessionStorage.setItem(STORE, JSON.stringify({kind, value}));
}

export function signOut() {
  sessionStorage.removeItem(STORE);
}

/** Called with the server's message when a call is answered 401. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** An answer that is not 2xx: status, ARM-style code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; resolves to the parsed JSON body (null when empty), rejects with ApiError. */
export async function api(method, path, body) {
  const headers = {'Accept': 'application/json'};
  const c = credential();
  if (c && c.kind === 'bearer') {
    headers['Authorization'] = 'Bearer ' + c.value;
  } else if (c) {
    headers['X-API-Key'] = c.value;
  }
  const init = {method, headers, cache: 'no-store', credentials: 'omit'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'NetworkError', 'The service cannot be reached: ' + e.message);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    const failure = new ApiError(response.status, error.code || 'HTTP' + response.status,
        error.message || response.status + ' ' + response.statusText);
    if (response.status === 401) {
      onUnauthorized(failure.message);
    }
    throw failure;
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);

/** The path of a connector's console resource. */
export function connectorPath(name, rest) {
  return '/api/console/connectors/' + encodeURIComponent(name) + (rest || '');
}
