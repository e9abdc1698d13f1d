//! Small text rules shared by every validator: limits count characters after trimming.

/// Number of characters (Unicode scalar values) once surrounding whitespace is removed.
pub fn trimmed_len(value: &str) -> usize {
    value.trim().chars().count()
}

pub fn is_blank(value: &str) -> bool {
    value.trim().is_empty()
}

/// A C0 or C1 control character (U+0000–U+001F, U+007F–U+009F: general category Cc), the
/// characters a single-line answer may not hold: tabs, line breaks, NUL, escape sequences.
/// Format characters (Cf: zero-width joiners, bidi marks) are not controls: emoji and
/// right-to-left names need them.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// True when a control character is left once surrounding whitespace (tabs and line breaks
/// included) is trimmed, as single-line fields are judged and sent.
pub fn has_control_chars(value: &str) -> bool {
    value.trim().chars().any(is_control)
}

/// Text made safe to put in HTML, as an element's content or a quoted attribute's value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_both_quotes() {
        assert_eq!(escape_html(r#"a<b>&"c" d'e"#), "a&lt;b&gt;&amp;&quot;c&quot; d&#39;e");
        assert_eq!(escape_html("Côte d’Ivoire"), "Côte d’Ivoire");
    }

    #[test]
    fn control_characters_are_c0_and_c1_only() {
        for c in [
            '\u{0}', '\u{1}', '\t', '\n', '\r', '\u{1b}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            assert!(is_control(c), "{:?}", c);
        }
        // Format characters, spaces and ordinary text are not.
        for c in [
            ' ', 'a', 'é', '\u{a0}', '\u{200b}', '\u{200d}', '\u{200e}', '\u{202e}', '\u{2066}',
            '\u{2069}', '\u{feff}', '\u{fe0f}', '\u{3000}', '\u{2028}', '😀',
        ] {
            assert!(!is_control(c), "{:?}", c);
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_before_looking_for_controls() {
        assert!(!has_control_chars("\tAcme Hotels\r\n"));
        assert!(!has_control_chars(" \u{85}Acme\u{85} "));
        assert!(!has_control_chars(""));
        assert!(has_control_chars("Acme\tHotels"));
        assert!(has_control_chars("Acme Hotels\nFloor 3"));
        assert!(has_control_chars("Ac\u{0}me"));
        assert!(has_control_chars("\u{1b}[31mred"));
        // U+001C–U+001F are controls but not whitespace: trimming leaves them.
        assert!(has_control_chars("\u{1f}Acme"));
        assert!(!has_control_chars(
            "Ac\u{200b}me\u{200c} Co\u{200d}\u{feff}"
        ));
        assert!(!has_control_chars("abc\u{202e}exe.txt\u{202c}"));
        assert!(!has_control_chars("👩🏽‍💻 Café 🏳️‍🌈 ☎️"));
    }
}
