//! A minimal PNG writer (8-bit grey or RGB) for the preview grids, and a grid layout of images.

use std::io::Write;

fn crc32(parts: &[&[u8]]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for part in parts {
        for &b in *part {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
    }
    !c
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
}

/// Encodes `pixels` (`height` rows of `width · channels` bytes; channels 1 or 3) as a PNG file.
pub fn encode(width: usize, height: usize, channels: usize, pixels: &[u8]) -> Vec<u8> {
    assert_eq!(pixels.len(), width * height * channels, "pixel count");
    let mut raw = Vec::with_capacity((width * channels + 1) * height);
    for row in pixels.chunks_exact(width * channels) {
        raw.push(0); // filter: none
        raw.extend_from_slice(row);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&raw).expect("writing to memory");
    let idat = z.finish().expect("writing to memory");
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(width as u32).to_be_bytes());
    ihdr.extend_from_slice(&(height as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, if channels == 3 { 2 } else { 0 }, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Lays out `[n, channels, size, size]` images in [−1, 1] as a `cols`-wide grid with a 1-pixel
/// gap, and encodes it (each image pixel drawn `scale` times as large).
pub fn grid(images: &[f32], n: usize, channels: usize, size: usize, cols: usize, scale: usize) -> Vec<u8> {
    let rows = n.div_ceil(cols);
    let cell = size * scale + 1;
    let (w, h) = (cols * cell + 1, rows * cell + 1);
    let mut px = vec![255u8; w * h * channels];
    for k in 0..n {
        let (gx, gy) = ((k % cols) * cell + 1, (k / cols) * cell + 1);
        for y in 0..size * scale {
            for x in 0..size * scale {
                for c in 0..channels {
                    let v = images[((k * channels + c) * size + y / scale) * size + x / scale];
                    px[((gy + y) * w + gx + x) * channels + c] = ((v.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8;
                }
            }
        }
    }
    encode(w, h, channels, &px)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_layout_are_png() {
        // The CRC of "IEND" with no data is fixed by the format.
        assert_eq!(crc32(&[b"IEND"]), 0xae42_6082);
        let png = grid(&[-1.0, 1.0, 1.0, -1.0], 1, 1, 2, 1, 1);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 4); // 2 + 2 gaps
    }
}
