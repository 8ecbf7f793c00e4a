//! Keeping secrets out of hovers. (A private helper: the shared `src/secrets.rs` masking
//! helper is not in this tree yet; once it is, this should defer to it.)

/// Names that by convention hold secrets.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["KEY", "SECRET", "PASSWORD", "PASSWD", "TOKEN"].iter().any(|w| upper.contains(w))
}

/// The value as it may be shown: a secret-looking name's value is hidden entirely, and a
/// URL's password (`postgres://user:pw@host`) is hidden in any variable.
pub fn shown(name: &str, value: &str, mask: bool) -> String {
    if !mask {
        return value.to_string();
    }
    if is_secret_name(name) && !value.is_empty() {
        return "••••••".to_string();
    }
    mask_url_password(value)
}

fn mask_url_password(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else { return value.to_string() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else { return value.to_string() };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else { return value.to_string() };
    format!("{scheme}://{}:••••••{}", &userinfo[..colon], &rest[at..])
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn masks_secret_names_and_url_passwords() {
        assert_eq!(shown("SECRET_KEY", "abc", true), "••••••");
        assert_eq!(shown("SECRET_KEY", "abc", false), "abc");
        assert_eq!(
            shown("DATABASE_URL", "postgres://u:p@db:5432/app", true),
            "postgres://u:••••••@db:5432/app"
        );
        assert_eq!(shown("DATABASE_URL", "postgres://db/app", true), "postgres://db/app");
        assert_eq!(shown("DEBUG", "1", true), "1");
    }
}
