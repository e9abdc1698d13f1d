//! Small text rules shared by every validator: limits count characters after trimming.

/// Number of characters (Unicode scalar values) once surrounding whitespace is removed.
pub fn trimmed_len(value: &str) -> usize {
    value.trim().chars().count()
}

pub fn is_blank(value: &str) -> bool {
    value.trim().is_empty()
}
