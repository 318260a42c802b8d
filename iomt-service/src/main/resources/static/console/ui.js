// Small DOM helpers: elements are built with textContent only (never innerHTML), so nothing the
// service or a device sent can become markup.

/** document.getElementById. */
export const $ = (id) => document.getElementById(id);

/** An element with attributes/properties and children (strings become text nodes). */
export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** Replaces the children of a node. */
export function fill(node, ...children) {
  node.replaceChildren();
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  }
}

/** Shows a status line (aria-live) for the user. */
export function status(text, isError) {
  const s = $('status');
  s.textContent = text || '';
  s.classList.toggle('error', !!isError);
}

/** JSON pretty-printed. */
export const pretty = (value) => JSON.stringify(value, null, 2);

/** A local date-time input's value as an ISO-8601 instant, or '' when empty. */
export function instant(localValue) {
  return localValue ? new Date(localValue).toISOString() : '';
}

/** Offers text as a file download. */
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], {type: 'application/json'}));
  const a = el('a', {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads an <input type=file>'s first file as text. */
export function readFile(input) {
  const file = input.files && input.files[0];
  return file ? file.text() : Promise.resolve(null);
}

/** Calls fn after ms without a new call. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
