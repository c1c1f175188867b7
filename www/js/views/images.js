// Generated images on a canvas: `drawImages(canvas, images, n, cols, scale, { size, channels }, marks)`
// lays out `n` images `[n, c, s, s]` in [−1, 1] as a grid, each `scale` screen pixels per image
// pixel, and outlines the cells in `marks` ([{ cell, colour }]). Knows nothing of the worker.

/** Images `[n, c, s, s]` in [−1, 1] → RGBA bytes of image `k`. */
export function toRgba(images, k, channels, size) {
  const hw = size * size;
  const out = new Uint8ClampedArray(hw * 4);
  const base = k * channels * hw;
  for (let p = 0; p < hw; p++) {
    for (let c = 0; c < 3; c++) {
      const v = images[base + (channels === 3 ? c : 0) * hw + p];
      out[p * 4 + c] = (v + 1) * 127.5;
    }
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** The side of one cell in canvas pixels: the image and a pixel of margin each side. */
export const cellSide = (size, scale) => size * scale + 2;

export function drawImages(canvas, images, n, cols, scale, { size, channels }, marks = []) {
  const cell = cellSide(size, scale);
  const rows = Math.ceil(n / cols);
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const tile = new OffscreenCanvas(size, size);
  const tctx = tile.getContext('2d');
  for (let k = 0; k < n; k++) {
    tctx.putImageData(new ImageData(toRgba(images, k, channels, size), size, size), 0, 0);
    ctx.drawImage(tile, (k % cols) * cell + 1, Math.floor(k / cols) * cell + 1, size * scale, size * scale);
  }
  for (const { cell: k, colour } of marks) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.strokeRect((k % cols) * cell + 1, Math.floor(k / cols) * cell + 1, cell - 2, cell - 2);
  }
}
