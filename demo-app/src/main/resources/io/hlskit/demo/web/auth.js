// The viewer's token (a JSON Web Token, or the admin token): kept in sessionStorage only, so it
// ends with the tab and never sits in a URL that could be shared. A link may bring one as
// #token=...: it is moved into sessionStorage and taken out of the address bar at once.

const TOKEN_KEY = 'hlskit.token';

(function takeTokenFromTheAddress() {
  const hash = location.hash.slice(1);
  if (!hash.startsWith('token=')) return;
  const token = decodeURIComponent(hash.slice('token='.length)).trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  history.replaceState(null, '', location.pathname + location.search);
}());

/** The token, or '' when signed out. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function signIn(value) {
  const t = value.trim();
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Headers that carry the token, for fetch and XMLHttpRequest. */
export function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/**
 * What a token says about its holder (name, roles, expiry), read without checking it: only to
 * label the page; the server checks every request. Empty for a token that is not a JWT.
 */
export function claims() {
  const parts = token().split('.');
  if (parts.length !== 3) return {};
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const parsed = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch (e) {
    return {};
  }
}
