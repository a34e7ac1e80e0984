// The one way the pages make elements: properties set as properties (text as textContent,
// never parsed as markup), children appended.

/** A new {@code tag} element with {@code props} and {@code children}. */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}
