//! Quoting what a user gave us inside a message: at most a short excerpt, control characters
//! escaped, so a 10 MB field in a file can neither freeze the page that shows the message nor
//! break its layout.

/// How many characters of a user's value a message quotes (the page's limit too: www/js/text.js).
pub const QUOTE: usize = 60;
/// The longest message the engine hands the page.
pub const MESSAGE: usize = 400;

/// `text` cut to `max` characters as shown (then "…"), with control characters escaped.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in text.chars() {
        // An escaped control character counts as what it shows (`\u{7f}`: 6).
        let piece: String = if c.is_control() { c.escape_default().collect() } else { c.to_string() };
        let width = piece.chars().count();
        if shown + width > max {
            out.push('…');
            return out;
        }
        out.push_str(&piece);
        shown += width;
    }
    out
}

/// A user's value as a message quotes it: `"…"`, cut to [`QUOTE`] characters.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", excerpt(text, QUOTE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("ring", 40), "ring");
        assert_eq!(quote("ring"), "\"ring\"");
        let long = "x".repeat(10_000_000);
        let q = quote(&long);
        assert!(q.chars().count() == QUOTE + 3 && q.ends_with("…\""), "{q}");
        assert_eq!(excerpt("a\nb\u{7}", 40), "a\\nb\\u{7}");
        // Cut on characters, not bytes: never in the middle of one.
        assert_eq!(excerpt("ééé", 2), "éé…");
        // Escapes count as what they show, so many control characters stay short too.
        let controls = excerpt(&"\u{7f}".repeat(1000), 40);
        assert!(controls.chars().count() <= 41, "{controls}");
    }
}
