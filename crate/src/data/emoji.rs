//! Face emoji for pretraining: ten faces (the classes) in eight emoji styles, from Iconify's npm
//! icon sets, drawn at 32×32 with resvg over a white background as RGB in [−1, 1]. Each icon is
//! drawn at three scales, nine small shifts and mirrored (54 images), so a small GAN learns the
//! face and not one exact drawing. Four styles are held out of the GAN's training: the quality
//! classifier learns the faces from them alone (see `tools::evaluate`).

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
struct Alias {
    parent: String,
}

#[derive(serde::Deserialize)]
struct IconSet {
    icons: BTreeMap<String, Icon>,
    #[serde(default)]
    aliases: BTreeMap<String, Alias>,
    width: Option<f32>,
    height: Option<f32>,
}

pub const SIZE: u32 = 32;

/// The classes: (Iconify icon name, class name). Faces that differ at 32×32 in shape and colour.
pub const FACES: [(&str, &str); 10] = [
    ("grinning-face", "Grinning"),
    ("face-with-tears-of-joy", "Tears of joy"),
    ("smiling-face-with-heart-eyes", "Heart eyes"),
    ("smiling-face-with-sunglasses", "Sunglasses"),
    ("loudly-crying-face", "Crying"),
    ("pouting-face", "Angry"),
    ("face-screaming-in-fear", "Screaming"),
    ("sleeping-face", "Sleeping"),
    ("thinking-face", "Thinking"),
    ("neutral-face", "Neutral"),
];

/// One emoji style: its npm package (pinned), the style's name and its licence.
pub struct Style {
    pub package: &'static str,
    pub version: &'static str,
    pub name: &'static str,
    pub licence: &'static str,
    /// Kept out of the GAN's training (the classifier's training data).
    pub held_out: bool,
}

pub const STYLES: [Style; 8] = [
    Style { package: "@iconify-json/fluent-emoji-flat", version: "1.2.6", name: "Fluent Emoji Flat (Microsoft)", licence: "MIT", held_out: false },
    Style { package: "@iconify-json/fluent-emoji", version: "1.2.7", name: "Fluent Emoji (Microsoft)", licence: "MIT", held_out: false },
    Style { package: "@iconify-json/noto", version: "1.2.9", name: "Noto Emoji (Google)", licence: "Apache-2.0", held_out: false },
    Style { package: "@iconify-json/twemoji", version: "1.2.5", name: "Twemoji (Twitter)", licence: "CC-BY-4.0", held_out: false },
    Style { package: "@iconify-json/emojione", version: "1.2.3", name: "EmojiOne 2 (Ranks.com)", licence: "CC-BY-4.0", held_out: true },
    Style { package: "@iconify-json/noto-v1", version: "1.2.5", name: "Noto Emoji 1 (Google)", licence: "Apache-2.0", held_out: true },
    Style { package: "@iconify-json/streamline-emojis", version: "1.2.4", name: "Streamline Emojis (Webalys)", licence: "CC-BY-4.0", held_out: true },
    // Share-alike: used only to measure, never in a shipped model.
    Style { package: "@iconify-json/openmoji", version: "1.2.29", name: "OpenMoji (HfG Schwäbisch Gmünd)", licence: "CC-BY-SA-4.0", held_out: true },
];

/// Where an icon is drawn: its scale (1 fills the image), shift in pixels and whether mirrored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub scale: f32,
    pub dx: f32,
    pub dy: f32,
    pub mirror: bool,
}

impl Placement {
    pub const PLAIN: Placement = Placement { scale: 1.0, dx: 0.0, dy: 0.0, mirror: false };

    /// The 54 placements every icon is drawn at.
    pub fn all() -> Vec<Placement> {
        let mut out = Vec::new();
        for scale in [1.0, 0.9, 0.8] {
            for dy in [-2.0, 0.0, 2.0] {
                for dx in [-2.0, 0.0, 2.0] {
                    for mirror in [false, true] {
                        out.push(Placement { scale, dx, dy, mirror });
                    }
                }
            }
        }
        out
    }
}

/// Draws one SVG document at `SIZE`×`SIZE` over white; `[3, SIZE, SIZE]` values in [−1, 1].
pub fn render(svg: &str, at: Placement) -> Result<Vec<f32>, String> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).map_err(|e| e.to_string())?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(SIZE, SIZE).ok_or("pixmap")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let s = tree.size();
    let (half, ax, ay) = (SIZE as f32 / 2.0, at.scale * SIZE as f32 / s.width(), at.scale * SIZE as f32 / s.height());
    let fx = if at.mirror { -ax } else { ax };
    // Centre the icon, scale (mirrored if asked) about its centre, then shift.
    let t = resvg::tiny_skia::Transform::from_row(fx, 0.0, 0.0, ay, half + at.dx - fx * s.width() / 2.0, half + at.dy - ay * s.height() / 2.0);
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

/// The SVG document of icon `name` in an Iconify JSON set (following an alias to its parent).
fn svg_of(set: &IconSet, name: &str) -> Option<String> {
    let mut name = name;
    for _ in 0..4 {
        if let Some(icon) = set.icons.get(name) {
            let (w, h) = (icon.width.or(set.width).unwrap_or(16.0), icon.height.or(set.height).unwrap_or(16.0));
            return Some(format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">{}</svg>"#, icon.body));
        }
        name = &set.aliases.get(name)?.parent;
    }
    None
}

/// The faces of one Iconify JSON set, each drawn at every placement, appended to `images`.
pub fn add_faces(text: &str, placements: &[Placement], images: &mut ImageSet) -> Result<(), String> {
    let set: IconSet = serde_json::from_str(text).map_err(|e| format!("icon set: {e}"))?;
    for (label, (name, _)) in FACES.iter().enumerate() {
        let svg = svg_of(&set, name).ok_or_else(|| format!("the icon set has no \"{name}\""))?;
        for &at in placements {
            images.pixels.extend(render(&svg, at).map_err(|e| format!("{name}: {e}"))?);
            images.labels.push(label as u8);
        }
    }
    Ok(())
}

fn empty() -> ImageSet {
    ImageSet { size: SIZE as usize, channels: 3, pixels: Vec::new(), labels: Vec::new(), class_names: FACES.iter().map(|(_, c)| c.to_string()).collect() }
}

/// (the GAN's training styles, the held-out styles), from the packages under `modules`
/// (`node_modules`).
pub fn load(modules: &Path) -> Result<(ImageSet, ImageSet), String> {
    let (mut train, mut held) = (empty(), empty());
    let placements = Placement::all();
    for style in &STYLES {
        let path = modules.join(style.package).join("icons.json");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        add_faces(&text, &placements, if style.held_out { &mut held } else { &mut train }).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok((train, held))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = r##"{"prefix":"t","width":32,"height":32,"icons":{
        "grinning-face":{"body":"<rect x=\"0\" y=\"0\" width=\"16\" height=\"32\" fill=\"#ff0000\"/>"},
        "bad":{"body":"<rect"}},
        "aliases":{"other":{"parent":"grinning-face"}}}"##;

    #[test]
    fn icons_are_drawn_over_white_and_placed() {
        let svg = svg_of(&serde_json::from_str(SET).unwrap(), "grinning-face").unwrap();
        let n = 32 * 32;
        let px = render(&svg, Placement::PLAIN).unwrap();
        // Left half red, right half white.
        assert_eq!((px[0], px[n], px[2 * n]), (1.0, -1.0, -1.0));
        assert_eq!((px[31], px[n + 31], px[2 * n + 31]), (1.0, 1.0, 1.0));
        // Mirrored: red on the right.
        let m = render(&svg, Placement { mirror: true, ..Placement::PLAIN }).unwrap();
        assert_eq!((m[0], m[31]), (1.0, 1.0));
        assert_eq!((m[n], m[n + 31]), (1.0, -1.0));
        // Shifted right by 2: the first two columns are white.
        let s = render(&svg, Placement { dx: 2.0, ..Placement::PLAIN }).unwrap();
        assert_eq!((s[n], s[n + 1], s[n + 2]), (1.0, 1.0, -1.0));
        assert_eq!(Placement::all().len(), 54);
    }

    #[test]
    fn a_set_without_a_face_is_named_and_aliases_are_followed() {
        let set: IconSet = serde_json::from_str(SET).unwrap();
        assert!(svg_of(&set, "other").is_some());
        let mut images = empty();
        let e = add_faces(SET, &[Placement::PLAIN], &mut images).unwrap_err();
        assert!(e.contains("face-with-tears-of-joy"), "{e}");
        assert!(add_faces("{}", &[Placement::PLAIN], &mut images).is_err());
    }
}
