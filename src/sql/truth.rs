//! The three-valued truths of `expr`'s module comment as SQL integer
//! expressions: the worse of unknown states, and "all"/"any" of parts.

/// The worse of several states; known parts drop out.
pub(crate) fn worst(states: &[&String]) -> String {
    let unknown: Vec<&str> = states
        .iter()
        .map(|state| state.as_str())
        .filter(|state| *state != "0")
        .collect();
    match unknown[..] {
        [] => "0".to_string(),
        [one] => one.to_string(),
        _ => format!("GREATEST({})", unknown.join(", ")),
    }
}

/// The first of two states that is unknown, as `(Err(why), _) | (_, Err(why))`.
pub(super) fn first_unknown(first: &str, second: &str) -> String {
    match (first, second) {
        ("0", other) | (other, "0") => other.to_string(),
        _ => format!("(CASE WHEN {first} > 0 THEN {first} ELSE {second} END)"),
    }
}

/// A truth from a state and a condition on known values.
pub(super) fn from_bool(known: &str, holds: &str) -> String {
    if known == "0" {
        format!("(CASE WHEN {holds} THEN 1 ELSE 0 END)")
    } else {
        format!("(CASE WHEN {known} > 0 THEN {known} WHEN {holds} THEN 1 ELSE 0 END)")
    }
}

/// All must hold: fail if any part fails, else the greatest part.
pub(crate) fn all(parts: &[String]) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|part| *part != "1")
        .collect();
    match parts[..] {
        [] => "1".to_string(),
        [one] => one.to_string(),
        _ => {
            let fails: Vec<String> = parts.iter().map(|part| format!("{part} = 0")).collect();
            format!(
                "(CASE WHEN {} THEN 0 ELSE GREATEST({}) END)",
                fails.join(" OR "),
                parts.join(", ")
            )
        }
    }
}

/// Any may hold: pass if any part passes, else the greatest part.
pub(super) fn any(parts: &[String]) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|part| *part != "0")
        .collect();
    match parts[..] {
        [] => "0".to_string(),
        [one] => one.to_string(),
        _ => {
            let passes: Vec<String> = parts.iter().map(|part| format!("{part} = 1")).collect();
            format!(
                "(CASE WHEN {} THEN 1 ELSE GREATEST({}) END)",
                passes.join(" OR "),
                parts.join(", ")
            )
        }
    }
}
