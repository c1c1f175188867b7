//! Quoting what a user gave us inside a message: at most a short excerpt, control characters
//! escaped, so a 10 MB field in a file can neither freeze the page that shows the message nor
//! break its layout.

/// How many characters of a user's value a message quotes.
pub const QUOTE: usize = 40;
/// The longest message the engine hands the page.
pub const MESSAGE: usize = 400;

/// `text` cut to about `max` characters as shown (an ellipsis and the full length where it was
/// cut), with control characters escaped.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for (i, c) in text.char_indices() {
        // An escaped control character counts as what it shows (`\u{7f}`: 6).
        let piece: String = if c.is_control() { c.escape_default().collect() } else { c.to_string() };
        let width = piece.chars().count();
        if shown + width > max {
            out.push_str(&format!("… ({} characters)", text[i..].chars().count() + text[..i].chars().count()));
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
        assert!(q.len() < 80 && q.contains("10000000 characters"), "{q}");
        assert_eq!(excerpt("a\nb\u{7}", 40), "a\\nb\\u{7}");
        // Cut on characters, not bytes: never in the middle of one.
        assert_eq!(excerpt("ééé", 2), "éé… (3 characters)");
        // Escapes count as what they show, so many control characters stay short too.
        let controls = excerpt(&"\u{7f}".repeat(1000), 40);
        assert!(controls.chars().count() < 70, "{controls}");
    }
}
