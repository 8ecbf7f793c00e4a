//! Secret masking: which variable names hold secrets and how their values are shown. Messages,
//! hovers and `berth check` output that echo an environment value go through
//! [`display_value`], so a CI log or a screen share never shows a password in full.
//! `Config.mask_secrets` (on by default) is the switch the callers pass in.

/// Name fragments that mark a variable as secret (compared upper-case).
const SECRET_WORDS: &[&str] =
    &["KEY", "SECRET", "PASSWORD", "PASSWD", "TOKEN", "CREDENTIAL", "PRIVATE"];

/// Values shorter than this are hidden entirely: showing even two characters of a short
/// secret gives too much away.
const SHORT: usize = 8;

const DOTS: &str = "••••";

/// Whether a variable name looks like it holds a secret: it contains `KEY`, `SECRET`,
/// `PASSWORD`, `PASSWD`, `TOKEN`, `CREDENTIAL` or `PRIVATE`, in any case.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

/// Whether a name/value pair is secret: a secret-looking name, or a URL-like value that
/// carries a password (`scheme://user:pass@host`), as `DATABASE_URL` usually does.
pub fn is_secret(name: &str, value: &str) -> bool {
    is_secret_name(name) || url_password(value).is_some()
}

/// A masked form of a secret: `••••` for short values, else the first two characters and
/// `••••`. The length is not revealed.
pub fn mask(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    if value.chars().count() < SHORT {
        return DOTS.to_string();
    }
    let head: String = value.chars().take(2).collect();
    format!("{head}{DOTS}")
}

/// The byte range of the password in `scheme://user:password@host…`, if there is one.
fn url_password(value: &str) -> Option<std::ops::Range<usize>> {
    let scheme_end = value.find("://")?;
    let scheme = &value[..scheme_end];
    let scheme_ok = !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return None;
    }
    let auth_start = scheme_end + 3;
    let rest = &value[auth_start..];
    // The authority ends at the first `/`, `?` or `#`; the userinfo at its last `@`.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    let colon = rest[..at].find(':')?;
    let range = auth_start + colon + 1..auth_start + at;
    (!range.is_empty()).then_some(range)
}

/// A URL with its password replaced by `••••`; other values unchanged.
pub fn mask_url_password(value: &str) -> String {
    match url_password(value) {
        Some(r) => format!("{}{DOTS}{}", &value[..r.start], &value[r.end..]),
        None => value.to_string(),
    }
}

/// How to show the value of variable `name` to a person: unchanged when `mask` is off or the
/// pair is not secret; a URL with only its password hidden; otherwise [`mask`]ed.
pub fn display_value(name: &str, value: &str, mask: bool) -> String {
    if !mask {
        return value.to_string();
    }
    if url_password(value).is_some() {
        return mask_url_password(value);
    }
    if is_secret_name(name) { self::mask(value) } else { value.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn check(cases: &[(&str, &str)], expect: expect_test::Expect) {
        let shown: Vec<String> = cases
            .iter()
            .map(|(n, v)| {
                let secret = if is_secret(n, v) { "secret" } else { "plain" };
                format!("{n}={v:?} {secret} -> {:?}", display_value(n, v, true))
            })
            .collect();
        expect.assert_eq(&shown.join("\n"));
    }

    #[test]
    fn masks_secret_names_and_url_passwords() {
        check(
            &[
                ("SECRET_KEY", "django-insecure-abcdef"),
                ("api_key", "abc"),
                ("DB_PASSWORD", ""),
                ("GITHUB_TOKEN", "ghp_0123456789"),
                ("AWS_CREDENTIALS", "x"),
                ("PRIVATE_PEM", "-----BEGIN KEY-----"),
                ("MYSQL_PASSWD", "hunter22"),
                ("DATABASE_URL", "postgres://app:s3cr3t@db:5432/app"),
                ("REDIS_URL", "redis://:pw@redis:6379/0"),
                ("CACHE_URL", "redis://redis:6379/0"),
                ("BROKER_URL", "amqp://guest@rabbit//"),
                ("DEBUG", "1"),
                ("ALLOWED_HOSTS", "a.example,b.example"),
                ("NEXT", "http://x/?a=b:c@d"),
                ("NAME", "é😀日本語テキスト"),
            ],
            expect![[r#"
                SECRET_KEY="django-insecure-abcdef" secret -> "dj••••"
                api_key="abc" secret -> "••••"
                DB_PASSWORD="" secret -> ""
                GITHUB_TOKEN="ghp_0123456789" secret -> "gh••••"
                AWS_CREDENTIALS="x" secret -> "••••"
                PRIVATE_PEM="-----BEGIN KEY-----" secret -> "--••••"
                MYSQL_PASSWD="hunter22" secret -> "hu••••"
                DATABASE_URL="postgres://app:s3cr3t@db:5432/app" secret -> "postgres://app:••••@db:5432/app"
                REDIS_URL="redis://:pw@redis:6379/0" secret -> "redis://:••••@redis:6379/0"
                CACHE_URL="redis://redis:6379/0" plain -> "redis://redis:6379/0"
                BROKER_URL="amqp://guest@rabbit//" plain -> "amqp://guest@rabbit//"
                DEBUG="1" plain -> "1"
                ALLOWED_HOSTS="a.example,b.example" plain -> "a.example,b.example"
                NEXT="http://x/?a=b:c@d" plain -> "http://x/?a=b:c@d"
                NAME="é😀日本語テキスト" plain -> "é😀日本語テキスト""#]],
        );
    }

    #[test]
    fn unmasked_when_switched_off() {
        assert_eq!(display_value("SECRET_KEY", "abc", false), "abc");
        assert_eq!(display_value("DATABASE_URL", "pg://u:p@h/d", false), "pg://u:p@h/d");
    }
}
