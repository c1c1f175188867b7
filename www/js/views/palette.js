// The pictures' colours, one palette per colour scheme (the page's light or dark theme). Green is
// real, purple generated, in both: the texts name the colours. Real #1b7837 is ColorBrewer PRGn's
// dark green, generated #7b3fc4 our purple; the dark scheme lifts both for a dark plane. Real,
// generated and the heatmap's two ends stay at least ΔE2000 20 apart under normal vision and under
// protanopia, deuteranopia and tritanopia (Machado 2009): tests/palette.test.mjs checks it.

/** How strongly the heatmap shows D's guess: its ends are the point colours this far from the paper. */
export const HEAT_STRENGTH = 0.55;

export const PALETTES = {
  light: {
    paper: '#ffffff', // the plane's background, and D's "unsure" (½)
    real: '#1b7837',
    fake: '#7b3fc4',
    arrow: '#d9480f',
    mesh: 'rgba(33, 37, 41, 0.5)', // dark grey, not the points' purple, so the two never merge
    z: '#868e96',
    missing: '#c2255c',
    halo: '#ffffff', // around generated points on the heatmap
    grid: 'rgba(0, 0, 0, 0.08)',
    ink: '#1d1d29', // labels, marker outlines
    inkSoft: '#555555', // axis numbers
    inkHalo: 'rgba(255, 255, 255, 0.85)',
    labelBox: 'rgba(255, 255, 255, 0.88)',
  },
  dark: {
    paper: '#1c1c26',
    real: '#40bf75',
    fake: '#ad7de8',
    arrow: '#ff8a4c',
    mesh: 'rgba(222, 226, 230, 0.45)',
    z: '#adb5bd',
    missing: '#ff6b9e',
    halo: '#1c1c26',
    grid: 'rgba(255, 255, 255, 0.1)',
    ink: '#ececf3',
    inkSoft: '#b8b8c8',
    inkHalo: 'rgba(28, 28, 38, 0.85)',
    labelBox: 'rgba(28, 28, 38, 0.88)',
  },
};

const DARK = '(prefers-color-scheme: dark)'; // not shown
const darkQuery = globalThis.matchMedia?.(DARK);

/** The scheme the page shows: 'dark' where the system asks for it. */
export const scheme = () => (darkQuery?.matches ? 'dark' : 'light');

/** The colours in force, changed in place when the scheme changes (so importers keep one object). */
export const COLORS = { ...PALETTES[scheme()] };

const parsed = new Map();

/** `#rrggbb` → [r, g, b] (parsed once: the heatmap asks for every cell). */
export function rgb(hex) {
  let c = parsed.get(hex);
  if (!c) parsed.set(hex, (c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))));
  return c;
}

/** Gives the page the picture colours as CSS custom properties (the legend and coloured words use them). */
function paintCss() {
  const root = globalThis.document?.documentElement;
  if (!root) return;
  for (const name of ['real', 'fake', 'paper', 'mesh', 'arrow', 'missing']) root.style.setProperty(`--${name}`, COLORS[name]);
}
paintCss();

const redraws = [];
darkQuery?.addEventListener('change', () => {
  Object.assign(COLORS, PALETTES[scheme()]);
  paintCss();
  for (const redraw of redraws) redraw();
});

/** Calls `redraw()` after the colour scheme changed (COLORS and the CSS properties already follow). */
export const onSchemeChange = (redraw) => redraws.push(redraw);
