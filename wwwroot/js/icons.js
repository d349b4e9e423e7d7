// Small line icons drawn as SVG elements (no icon font, no inline markup). Every icon is decorative:
// the text next to it says the same thing, so screen readers skip it (aria-hidden).

import { svg } from './dom.js';

const PATHS = {
  pencil: ['M4 20h4L19 9l-4-4L4 16v4z', 'M13.5 6.5l4 4'],
  chat: ['M4 5h16v11H9l-5 4V5z'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  cross: ['M6 6l12 12', 'M18 6L6 18'],
  group: ['M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z', 'M3 19c0-3.3 2.7-5 6-5s6 1.7 6 5', 'M16 5.5a3 3 0 0 1 0 5.5', 'M18 14c2 .6 3 2.3 3 5'],
  dash: ['M6 12h12'],
  'check-note': ['M4 12.5l4 4L16 8', 'M18 14v6', 'M15 17h6'],
  circle: ['M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z', 'M8 12h8'],
  'circle-slash': ['M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z', 'M6.5 17.5l11-11'],
  clock: ['M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z', 'M12 8v4l3 2'],
  dot: ['M12 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4z'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  unlock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 6.8-1.2'],
  'arrow-up': ['M12 19V5', 'M6 11l6-6 6 6'],
  'arrow-down': ['M12 5v14', 'M6 13l6 6 6-6'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  user: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4 20c0-4 3.6-6 8-6s8 2 8 6'],
  offline: ['M3 3l18 18', 'M8.5 16.5a5 5 0 0 1 7 0', 'M5 13a10 10 0 0 1 4-2.4', 'M19 13a10 10 0 0 0-2.3-1.6', 'M2 9.5a15 15 0 0 1 4.3-2.7', 'M22 9.5A15 15 0 0 0 11 5.1', 'M12 20h.01'],
  online: ['M8.5 16.5a5 5 0 0 1 7 0', 'M5 13a10 10 0 0 1 14 0', 'M2 9.5a15 15 0 0 1 20 0', 'M12 20h.01'],
  refresh: ['M20 11a8 8 0 0 0-14.5-4.5L4 8', 'M4 4v4h4', 'M4 13a8 8 0 0 0 14.5 4.5L20 16', 'M20 20v-4h-4'],
  alert: ['M12 4L2.5 20h19L12 4z', 'M12 10v4.5', 'M12 17.5h.01'],
  info: ['M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z', 'M12 11v5', 'M12 8h.01'],
  file: ['M6 3h8l4 4v14H6z', 'M14 3v4h4', 'M9 12h6', 'M9 16h6'],
  eye: ['M2 12s3.6-6 10-6 10 6 10 6-3.6 6-10 6S2 12 2 12z', 'M12 14.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z'],
  shield: ['M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6l8-3z', 'M8.5 12l2.5 2.5 4.5-4.5'],
  gavel: ['M13 4l7 7', 'M10.5 6.5l7 7', 'M12 8l-7.5 7.5a1.5 1.5 0 0 0 2 2L14 10', 'M4 21h9'],
  logout: ['M10 4H5v16h5', 'M15 8l4 4-4 4', 'M9 12h10'],
  flag: ['M5 21V4', 'M5 4h11l-2 4 2 4H5'],
};

/** An icon by name; unknown names draw a dot. */
export function icon(name, { size = 16, className = 'icon' } = {}) {
  return svg('svg', {
    class: className, width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false',
    fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  }, (PATHS[name] ?? PATHS.dot).map((d) => svg('path', { d })));
}
