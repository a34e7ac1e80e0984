// Icons as inline SVG: drawn the same everywhere (emoji glyphs depend on the fonts a system has;
// headless Chromium drew the speaker as an empty box). Decorative: the control that holds one
// carries the accessible name.

const SVG = 'http://www.w3.org/2000/svg';

// 24x24 outlines, stroked with the text colour
const PATHS = {
  'sound-off': ['M4 9h4l5-4v14l-5-4H4z', 'M16 9l5 6', 'M21 9l-5 6'],
  'sound-on': ['M4 9h4l5-4v14l-5-4H4z', 'M16 8.5a5 5 0 0 1 0 7', 'M18.5 6a8.5 8.5 0 0 1 0 12'],
  pause: ['M8 5v14', 'M16 5v14'],
  play: ['M7 4.5v15l12-7.5z'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  share: ['M12 3v12', 'M7.5 7.5L12 3l4.5 4.5', 'M5 12v8h14v-8'],
};

/** An SVG icon by name, hidden from assistive technology. */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
