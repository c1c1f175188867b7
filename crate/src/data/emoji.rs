//! Emoji for pretraining: the vector icons of npm `@iconify-json/fluent-emoji-flat` (MIT), drawn
//! at 32×32 with resvg over a white background, as RGB in [−1, 1].

use crate::data::images::ImageSet;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Icon {
    body: String,
    width: Option<f32>,
    height: Option<f32>,
}

#[derive(serde::Deserialize)]
struct IconSet {
    icons: BTreeMap<String, Icon>,
    width: Option<f32>,
    height: Option<f32>,
}

pub const SIZE: u32 = 32;

/// Draws one SVG document at `SIZE`×`SIZE` over white; `[3, SIZE, SIZE]` values in [−1, 1].
pub fn render(svg: &str) -> Result<Vec<f32>, String> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).map_err(|e| e.to_string())?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(SIZE, SIZE).ok_or("pixmap")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let s = tree.size();
    let t = resvg::tiny_skia::Transform::from_scale(SIZE as f32 / s.width(), SIZE as f32 / s.height());
    resvg::render(&tree, t, &mut pixmap.as_mut());
    let n = (SIZE * SIZE) as usize;
    let mut out = vec![0.0f32; 3 * n];
    for (i, px) in pixmap.pixels().iter().enumerate() {
        // Opaque after the white fill, so premultiplied = straight.
        for (c, v) in [px.red(), px.green(), px.blue()].into_iter().enumerate() {
            out[c * n + i] = v as f32 / 127.5 - 1.0;
        }
    }
    Ok(out)
}

/// Every icon of an Iconify JSON set, drawn; icons that fail to parse are skipped (and counted).
pub fn from_iconify(text: &str) -> Result<ImageSet, String> {
    let set: IconSet = serde_json::from_str(text).map_err(|e| format!("icon set: {e}"))?;
    let mut images = ImageSet { size: SIZE as usize, channels: 3, pixels: Vec::new(), labels: Vec::new(), class_names: Vec::new() };
    let mut skipped = 0;
    for icon in set.icons.values() {
        let (w, h) = (icon.width.or(set.width).unwrap_or(16.0), icon.height.or(set.height).unwrap_or(16.0));
        let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">{}</svg>"#, icon.body);
        match render(&svg) {
            Ok(px) => {
                images.pixels.extend(px);
                images.labels.push(0);
            }
            Err(_) => skipped += 1,
        }
    }
    if images.is_empty() {
        return Err(format!("none of the {skipped} icons could be drawn"));
    }
    if skipped > 0 {
        eprintln!("ganplay: {skipped} icons could not be drawn and were skipped");
    }
    Ok(images)
}

pub fn load(path: &Path) -> Result<ImageSet, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    from_iconify(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_drawn_over_white() {
        let text = r##"{"prefix":"t","width":32,"height":32,"icons":{
            "red":{"body":"<rect x=\"0\" y=\"0\" width=\"16\" height=\"32\" fill=\"#ff0000\"/>"},
            "bad":{"body":"<rect"}}}"##;
        let set = from_iconify(text).unwrap();
        assert_eq!((set.len(), set.channels, set.size), (1, 3, 32));
        let px = set.image(0);
        let n = 32 * 32;
        // Left half red, right half white.
        assert_eq!((px[0], px[n], px[2 * n]), (1.0, -1.0, -1.0));
        assert_eq!((px[31], px[n + 31], px[2 * n + 31]), (1.0, 1.0, 1.0));
        assert!(from_iconify("{}").is_err());
    }
}
