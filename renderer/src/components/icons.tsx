// Inline SVG icons (no icon font, no CDN): 24×24 strokes scaled by CSS.
import type { ReactElement } from 'react';

const P = (d: string) => (): ReactElement => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    {d.split('|').map((p, i) => (
      <path key={i} d={p} />
    ))}
  </svg>
);

export const Icon = {
  overview: P('M3 13h8V3H3z|M13 21h8V11h-8z|M13 3v6h8V3z|M3 21h8v-6H3z'),
  instances: P('M4 5h16v10H4z|M8 19h8|M12 15v4'),
  images: P('M4 6h16v12H4z|M4 15l4-4 4 4 3-3 5 5|M15 9h.01'),
  volumes: P('M12 3c4.4 0 8 1.3 8 3v12c0 1.7-3.6 3-8 3s-8-1.3-8-3V6c0-1.7 3.6-3 8-3z|M4 6c0 1.7 3.6 3 8 3s8-1.3 8-3|M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3'),
  networks: P('M12 3v6|M5 21v-4h14v4|M12 9a3 3 0 1 0 0-.01|M12 12v5'),
  objects: P('M3 7l9-4 9 4-9 4z|M3 7v10l9 4 9-4V7|M12 11v10'),
  stacks: P('M12 3l9 5-9 5-9-5z|M3 13l9 5 9-5|M3 17l9 5 9-5'),
  hosts: P('M4 4h16v6H4z|M4 14h16v6H4z|M8 7h.01|M8 17h.01'),
  identity: P('M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z|M4 21c0-4 3.6-6 8-6s8 2 8 6'),
  activity: P('M3 12h4l3 8 4-16 3 8h4'),
  flavors: P('M4 7h16|M4 12h10|M4 17h6'),
  keypairs: P('M15 7a4 4 0 1 1-3.9 5H3v3h3v3h3v-3h2.1A4 4 0 0 1 15 7z'),
  search: P('M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z|M21 21l-4.3-4.3'),
  plus: P('M12 5v14|M5 12h14'),
  play: P('M7 5l12 7-12 7z'),
  stop: P('M6 6h12v12H6z'),
  reboot: P('M20 12a8 8 0 1 1-2.3-5.6|M20 4v5h-5'),
  trash: P('M4 7h16|M10 11v6|M14 11v6|M6 7l1 13h10l1-13|M9 7V4h6v3'),
  close: P('M6 6l12 12|M18 6L6 18'),
  sun: P('M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z|M12 2v2|M12 20v2|M4.9 4.9l1.4 1.4|M17.7 17.7l1.4 1.4|M2 12h2|M20 12h2|M4.9 19.1l1.4-1.4|M17.7 6.3l1.4-1.4'),
  moon: P('M21 13A9 9 0 1 1 11 3a7 7 0 0 0 10 10z'),
  tasks: P('M4 6h11|M4 12h16|M4 18h8'),
  upload: P('M12 16V4|M7 9l5-5 5 5|M4 20h16'),
  download: P('M12 4v12|M7 11l5 5 5-5|M4 20h16'),
  chevron: P('M9 6l6 6-6 6'),
  logout: P('M15 4h4v16h-4|M10 17l5-5-5-5|M15 12H3'),
  warn: P('M12 3l10 18H2z|M12 10v4|M12 17h.01'),
  sort: P('M8 10l4-4 4 4|M8 14l4 4 4-4'),
  up: P('M8 14l4-4 4 4'),
  down: P('M8 10l4 4 4-4'),
  terminal: P('M4 5h16v14H4z|M8 10l3 2-3 2|M13 15h3'),
  check: P('M5 12l5 5 9-10'),
  x: P('M7 7l10 10|M17 7L7 17'),
  key: P('M15 7a4 4 0 1 1-3.9 5H3v3h3v3h3v-3h2.1A4 4 0 0 1 15 7z'),
  copy: P('M9 9h11v11H9z|M5 15H4V4h11v1'),
  wrench: P('M14 6a4 4 0 0 0 5 5l-8 8a2 2 0 0 1-3-3z'),
};
