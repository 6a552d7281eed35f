//! How keys of tables and areas are compared, so that a table meets the areas' codes
//! whatever Excel or another program did to them.

/// A key as compared: spaces and case ignored, a one-letter prefix before a long number
/// dropped (`k053340002002` → `053340002002`) and leading zeros ignored (Excel loses them).
pub fn normalize_key(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let t = match t.strip_prefix(|c: char| c.is_ascii_alphabetic()) {
        Some(rest) if rest.len() >= 5 && rest.chars().all(|c| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => t,
    };
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        let stripped = t.trim_start_matches('0');
        if stripped.is_empty() {
            "0".to_string()
        } else {
            stripped.to_string()
        }
    } else {
        t
    }
}
