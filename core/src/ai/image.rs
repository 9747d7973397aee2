//! Offline images (`generate_images`, JOB-1/JOB-7): a real PNG rendered
//! locally from a prompt.
//!
//! The prompt's FNV-1a hash seeds a small generator that picks a palette
//! (a base hue and a related second hue), a gradient direction and a few
//! soft translucent discs, so every prompt gets its own recognisable,
//! pleasant abstract image, and the same prompt always the same bytes.

use super::text::stable_hash;

pub const MIN_SIDE: u32 = 64;
pub const MAX_SIDE: u32 = 2048;

/// SplitMix64: a tiny, well-mixed sequence from one seed. Stable by
/// construction, unlike library RNGs whose streams may change.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        let unit = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * unit
    }
}

/// HSL (hue in degrees, saturation and lightness 0–1) to linear-ish RGB 0–1.
fn hsl(h: f32, s: f32, l: f32) -> [f32; 3] {
    let h = h.rem_euclid(360.0) / 60.0;
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r + m, g + m, b + m]
}

struct Disc {
    cx: f32,
    cy: f32,
    r: f32,
    color: [f32; 3],
    alpha: f32,
}

/// The RGB pixels (row-major, 3 bytes each) for a prompt.
fn pixels(prompt: &str, width: u32, height: u32) -> Vec<u8> {
    let mut rng = Mix(stable_hash(prompt.as_bytes()));
    let hue = rng.range(0.0, 360.0);
    // Analogous, triadic or complementary second hue.
    let offset = [30.0, 120.0, 180.0][(rng.next() % 3) as usize];
    let from = hsl(hue, rng.range(0.45, 0.75), rng.range(0.55, 0.75));
    let to = hsl(hue + offset, rng.range(0.45, 0.75), rng.range(0.25, 0.45));
    let angle = rng.range(0.0, std::f32::consts::TAU);
    let (dx, dy) = (angle.cos(), angle.sin());

    let (w, h) = (width as f32, height as f32);
    let side = w.min(h);
    let discs: Vec<Disc> = (0..3 + rng.next() % 4)
        .map(|_| Disc {
            cx: rng.range(0.0, w),
            cy: rng.range(0.0, h),
            r: rng.range(0.12, 0.38) * side,
            color: hsl(
                hue + [0.0, offset, offset / 2.0, 180.0][(rng.next() % 4) as usize],
                rng.range(0.4, 0.8),
                rng.range(0.45, 0.85),
            ),
            alpha: rng.range(0.2, 0.5),
        })
        .collect();

    // Background: a linear gradient along the chosen direction, with a
    // gentle vignette.
    let mut img = vec![0f32; (width * height * 3) as usize];
    let span = (w * dx.abs() + h * dy.abs()).max(1.0);
    let base = (if dx < 0.0 { -w * dx } else { 0.0 }) + (if dy < 0.0 { -h * dy } else { 0.0 });
    for y in 0..height {
        let fy = y as f32 + 0.5;
        let vy = (fy / h - 0.5) * 2.0;
        for x in 0..width {
            let fx = x as f32 + 0.5;
            let t = ((fx * dx + fy * dy + base) / span).clamp(0.0, 1.0);
            let vx = (fx / w - 0.5) * 2.0;
            let shade = 1.0 - 0.18 * (vx * vx + vy * vy) / 2.0;
            let i = ((y * width + x) * 3) as usize;
            for c in 0..3 {
                img[i + c] = (from[c] + (to[c] - from[c]) * t) * shade;
            }
        }
    }
    // Soft discs: full opacity inside 60 % of the radius, fading to none at
    // the edge (smoothstep). Only their bounding boxes are visited.
    for d in &discs {
        let x0 = (d.cx - d.r).floor().max(0.0) as u32;
        let x1 = ((d.cx + d.r).ceil() as u32).min(width);
        let y0 = (d.cy - d.r).floor().max(0.0) as u32;
        let y1 = ((d.cy + d.r).ceil() as u32).min(height);
        let inner = d.r * 0.6;
        for y in y0..y1 {
            let ddy = y as f32 + 0.5 - d.cy;
            for x in x0..x1 {
                let ddx = x as f32 + 0.5 - d.cx;
                let dist = (ddx * ddx + ddy * ddy).sqrt();
                if dist >= d.r {
                    continue;
                }
                let t = ((d.r - dist) / (d.r - inner)).clamp(0.0, 1.0);
                let a = d.alpha * t * t * (3.0 - 2.0 * t);
                let i = ((y * width + x) * 3) as usize;
                for c in 0..3 {
                    img[i + c] += (d.color[c] - img[i + c]) * a;
                }
            }
        }
    }
    img.into_iter()
        .map(|v| (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8)
        .collect()
}

/// A PNG (8-bit RGB) of `width`×`height`, each clamped to 64–2048, drawn
/// from `prompt` (see the module docs). Same prompt and size, same bytes.
pub fn render_png(prompt: &str, width: u32, height: u32) -> Vec<u8> {
    let width = width.clamp(MIN_SIDE, MAX_SIDE);
    let height = height.clamp(MIN_SIDE, MAX_SIDE);
    let data = pixels(prompt, width, height);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Writing a buffer of exactly width × height × 3 bytes into memory has
    // no failure mode; the sizes are clamped above.
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&data));
    written.expect("a correctly sized image encodes into memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    #[test]
    fn renders_a_valid_png_of_the_requested_size() {
        let bytes = render_png("A clean editorial photograph of running shoes", 320, 200);
        assert_eq!(bytes[..8], SIGNATURE);
        let (w, h, pixels) = decode(&bytes);
        assert_eq!((w, h), (320, 200));
        assert_eq!(pixels.len(), 320 * 200 * 3);
        // Not a flat colour.
        let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(3).collect();
        assert!(distinct.len() > 100, "{}", distinct.len());
    }

    #[test]
    fn same_prompt_same_bytes_other_prompt_other_bytes() {
        let a = render_png("sourdough bread on a wooden board", 128, 128);
        assert_eq!(render_png("sourdough bread on a wooden board", 128, 128), a);
        assert_ne!(render_png("sourdough bread on a marble board", 128, 128), a);
        assert_ne!(render_png("", 128, 128), a);
    }

    #[test]
    fn sizes_are_clamped() {
        assert_eq!(decode(&render_png("x", 0, 10)).0, MIN_SIDE);
        let (w, h, _) = decode(&render_png("x", 5000, 1));
        assert_eq!((w, h), (MAX_SIDE, MIN_SIDE));
    }

    #[test]
    fn hsl_primaries() {
        let near = |a: [f32; 3], b: [f32; 3]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
        assert!(near(hsl(0.0, 1.0, 0.5), [1.0, 0.0, 0.0]));
        assert!(near(hsl(120.0, 1.0, 0.5), [0.0, 1.0, 0.0]));
        assert!(near(hsl(240.0, 1.0, 0.5), [0.0, 0.0, 1.0]));
        assert!(near(hsl(-120.0, 1.0, 0.5), [0.0, 0.0, 1.0]));
        assert!(near(hsl(30.0, 0.0, 0.25), [0.25, 0.25, 0.25]));
    }
}
