// The controller's REST API, as every page calls it: the same API users and the CLI call, nothing of its own.
// A token, when the controller asks for one (401), is asked for once and kept for this browser tab.

const TOKEN_KEY = 'ferry.token';

/** A refusal of the API: its status, code, message, and each problem with the field it concerns. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : {};
    super(error.message || `the controller answered ${status}`);
    this.status = status;
    this.code = error.code || 'error';
    this.problems = error.problems || [{field: null, message: this.message}];
  }
}

let asking = null;

/** Shows the token dialog (once, however many requests wait for it) and resolves when a token is given. */
function askForToken(again) {
  if (!asking) {
    asking = new Promise(resolve => {
      const dialog = document.getElementById('token-dialog');
      const form = document.getElementById('token-form');
      const input = document.getElementById('token-input');
      document.getElementById('token-reason').textContent = again
        ? 'The controller refused that token; give the one it was started with.'
        : 'This controller asks for a token. It is kept for this browser tab only.';
      input.value = '';
      form.onsubmit = () => {
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        asking = null;
        resolve();
      };
      dialog.showModal();
      input.focus();
    });
  }
  return asking;
}

/** Calls the API; answers the JSON body (null for 204), or throws an ApiError. */
export async function api(method, path, body) {
  for (;;) {
    const headers = {'Accept': 'application/json'};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers['Authorization'] = 'Bearer ' + token;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    if (response.status === 401) {
      await askForToken(Boolean(token));
      continue;
    }
    if (response.status === 204) {
      return null;
    }
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, json);
    }
    return json;
  }
}

export const get = path => api('GET', path);

/** The path of a pipe's resource. */
export function pipePath(id, rest = '') {
  return '/v1/pipes/' + encodeURIComponent(id) + rest;
}
